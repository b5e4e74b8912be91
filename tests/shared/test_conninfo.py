"""One connection string for every function and the migrator: DATABASE_URL, or the secret."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

import pytest
from psycopg.conninfo import conninfo_to_dict
from yoyo.connections import parse_uri

from migrator.apply import yoyo_uri
from shared import db as function_db
from shared.conninfo import conninfo
from shared.errors import SettingsError
from shared.settings import load_settings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# A password with every URI delimiter, as a generated one may have.
AWKWARD_PASSWORD = "p@ss:w/rd?#%&= +"  # noqa: S105 - a test value


@pytest.fixture
def use_secret(
    database_url: str, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., None]]:
    """`use_secret(password=...)`: the environment AWS gives, the secret in moto's API."""
    import boto3
    from aws_lambda_powertools.utilities import parameters

    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", s3_endpoint)
    parameters.clear_caches()
    client = boto3.client("secretsmanager", region_name="us-east-1")
    server = conninfo_to_dict(database_url)
    arns: list[str] = []

    def use(password: str = "unused", **env: str) -> None:  # noqa: S107 - the server trusts
        value = {"username": server["user"], "password": password}
        name = f"rds!db-{uuid.uuid4().hex[:8]}"
        arns.append(client.create_secret(Name=name, SecretString=json.dumps(value))["ARN"])
        monkeypatch.delenv("DATABASE_URL")
        monkeypatch.setenv("DB_SECRET_ARN", arns[-1])
        monkeypatch.setenv("DB_HOST", str(server["host"]))
        monkeypatch.setenv("DB_NAME", str(server["dbname"]))
        for name, setting in env.items():
            monkeypatch.setenv(name, setting)

    yield use
    for arn in arns:
        client.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    parameters.clear_caches()


def test_function_connection_through_the_secret_requires_tls(
    use_secret: Callable[..., None], fresh_function_connection: None
) -> None:
    # GIVEN the deployed environment: no DATABASE_URL, the RDS-managed secret and DB_HOST
    use_secret()
    # WHEN a function connects
    conn = function_db.get_connection()
    # THEN its session asks for TLS (RDS refuses others; over this test's socket it is moot)
    assert conn.info.get_parameters()["sslmode"] == "require"
    assert conn.execute("SELECT 1").fetchone() == (1,)


def test_migrator_gets_the_functions_settings_and_the_password_intact(
    use_secret: Callable[..., None],
) -> None:
    use_secret(password=AWKWARD_PASSWORD, DB_STATEMENT_TIMEOUT_MS="240000")
    uri = parse_uri(yoyo_uri(conninfo(load_settings())))
    assert uri.args["password"] == AWKWARD_PASSWORD
    assert uri.args["sslmode"] == "require"
    assert uri.args["options"] == "-c statement_timeout=240000"


def test_a_secret_without_a_host_needs_db_host(
    use_secret: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_secret()
    monkeypatch.delenv("DB_HOST")
    with pytest.raises(SettingsError, match="DB_HOST"):
        conninfo(load_settings())


def test_forgotten_secrets_are_fetched_again(use_secret: Callable[..., None]) -> None:
    # A SnapStart snapshot must not carry the password: the hook forgets it before.
    import os

    import boto3

    from shared import secrets

    use_secret(password="first")  # noqa: S106 - a test value
    arn = os.environ["DB_SECRET_ARN"]
    assert secrets.get_db_secret(arn)["password"] == "first"  # noqa: S105
    client = boto3.client("secretsmanager", region_name="us-east-1")
    value = {"username": "app", "password": "second"}
    client.put_secret_value(SecretId=arn, SecretString=json.dumps(value))
    assert secrets.get_db_secret(arn)["password"] == "first"  # noqa: S105 - cached
    secrets.forget()
    assert secrets.get_db_secret(arn)["password"] == "second"  # noqa: S105
