"""Database credentials from Secrets Manager, cached, and refetched after a rotation."""

from __future__ import annotations

import sys
from typing import Any

_MAX_AGE_SECONDS = 3600
_PARAMETERS = "aws_lambda_powertools.utilities.parameters"


def get_db_secret(secret_arn: str, *, refresh: bool = False) -> dict[str, Any]:
    """The secret's JSON (RDS-managed format: username, password; host, port, dbname optional)."""
    # Imported here: boto3 costs ~100 ms of cold start and DATABASE_URL deployments never need it.
    from aws_lambda_powertools.utilities import parameters

    value = parameters.get_secret(
        secret_arn, transform="json", max_age=_MAX_AGE_SECONDS, force_fetch=refresh
    )
    if not isinstance(value, dict) or "username" not in value or "password" not in value:
        raise ValueError("the database secret must be JSON with username and password")
    return value


def forget() -> None:
    """Drop every cached secret, and the clients that fetched them (before a SnapStart snapshot)."""
    parameters = sys.modules.get(_PARAMETERS)  # never imported: nothing was fetched
    if parameters is not None:
        parameters.clear_caches()
