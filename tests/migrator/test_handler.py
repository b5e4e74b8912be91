"""The migrations function: a real run through the RDS-managed secret."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from psycopg import sql

from localcloud.postgres import with_database

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def empty_database(server_url: str) -> Iterator[str]:
    name = f"migrator_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def test_handler_migrates_through_the_secret_and_is_idempotent(
    server_url: str,
    empty_database: str,
    s3_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    lambda_context: Any,
) -> None:
    # GIVEN an RDS-style secret (username and password only) in a real Secrets Manager API
    import boto3
    from psycopg.conninfo import conninfo_to_dict

    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", s3_endpoint)
    server = conninfo_to_dict(server_url)
    secrets = boto3.client("secretsmanager", region_name="us-east-1")
    arn = secrets.create_secret(
        Name=f"rds!db-{uuid.uuid4().hex[:8]}",
        SecretString=f'{{"username": "{server["user"]}", "password": "unused"}}',
    )["ARN"]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DB_SECRET_ARN", arn)
    monkeypatch.setenv("DB_HOST", str(server["host"]))
    monkeypatch.setenv("DB_PORT", str(server.get("port", 5432)))
    monkeypatch.setenv("DB_NAME", empty_database)
    from shared.settings import get_settings

    get_settings.cache_clear()
    from migrator.index import handler

    # WHEN the function runs twice
    first = handler({}, lambda_context("migrator", 300))
    second = handler({}, lambda_context("migrator", 300))
    get_settings.cache_clear()

    # THEN the first applies every migration and the second nothing; the tables exist
    assert first["applied"][0].startswith("0001") and second == {"applied": []}
    with psycopg.connect(with_database(server_url, empty_database)) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (0,)
