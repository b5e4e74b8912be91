"""What a cold start of sample_api loads, and how it fails on a bad environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
# Heavy modules that GET /users never needs: imported on first use, if ever. (Powertools'
# own __init__ imports the bare `botocore` package to tag the user agent: not ours to skip.)
# pydantic and Powertools' validation come with the first POST or /openapi.json; the other
# resolvers and event classes would come back if a Powertools package __init__ that
# sample_api/__init__.py skips started doing more than re-export (tests/shared/test_lazy.py).
NOT_AT_COLD_START = (
    "boto3",
    "botocore.session",
    "localcloud",
    "pydantic",
    "aws_lambda_powertools.event_handler.middlewares.openapi_validation",
    "aws_lambda_powertools.event_handler.openapi.merge",
    "aws_lambda_powertools.event_handler.appsync",
    "aws_lambda_powertools.utilities.data_classes.sns_event",
)


def _import_index(database_url: str, code: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-c", f"import sys, sample_api.index\n{code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cold_start_imports_nothing_get_users_does_not_need(database_url: str) -> None:
    check = f"print(sorted(m for m in {NOT_AT_COLD_START!r} if m in sys.modules))"
    result = _import_index(database_url, check)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_bad_environment_fails_the_cold_start_naming_the_variable() -> None:
    result = _import_index("mysql://somewhere/db")
    assert result.returncode != 0
    assert "SettingsError" in result.stderr
    assert "DATABASE_URL" in result.stderr
