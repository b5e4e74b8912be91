"""The database goes away, times out or misbehaves: clean answers, details only in the log."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from shared import db as function_db
from shared.settings import get_settings
from tests.fixtures.pg_relay import HoldingRelay
from tests.sample_api.conftest import DownDatabase, Invoke, add_users, count_users

if TYPE_CHECKING:
    import io
    from collections.abc import Iterator

    import psycopg

INTERNALS = ("Traceback", "SELECT", "INSERT", "postgresql://", "psycopg", "File ")


def _assert_no_internals(raw_body: str, *secrets: str) -> None:
    for needle in (*INTERNALS, *secrets):
        assert needle not in raw_body


def test_request_after_the_backend_was_terminated_succeeds(
    api: Invoke, db: psycopg.Connection[Any]
) -> None:
    # GIVEN a warm function whose session the server then ends (restart, failover)
    add_users(db, 1)
    assert api("get_users").status == 200
    pid = function_db.get_connection().info.backend_pid
    db.execute("SELECT pg_terminate_backend(%s)", [pid])
    db.execute("SELECT pg_sleep(0.05)")
    # WHEN the next request arrives
    reply = api("get_users")
    # THEN it is answered on a new session
    assert reply.status == 200
    assert len(reply.body["items"]) == 1
    assert function_db.get_connection().info.backend_pid != pid


@pytest.fixture
def relay(
    database_url: str, fresh_function_connection: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HoldingRelay]:
    """The function reaches its database through a relay that can hide a session's end."""
    with HoldingRelay(database_url) as relay:
        monkeypatch.setenv("DATABASE_URL", relay.url)
        get_settings.cache_clear()
        yield relay


def _terminate_unseen(db: psycopg.Connection[Any], relay: HoldingRelay) -> int:
    """End the warm function's session; the end reaches it only with its next query."""
    pid = function_db.get_connection().info.backend_pid
    relay.hold()
    db.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])  # returns once it has exited
    return pid


@pytest.mark.parametrize("path", ["/users", "/users/1"])
def test_read_on_a_session_ended_just_before_runs_again_on_a_new_one(
    api: Invoke, db: psycopg.Connection[Any], relay: HoldingRelay, path: str
) -> None:
    # GIVEN a warm function whose session the server ends (failover, a proxy recycling it),
    # with the end still in flight: the socket looks idle when the request arrives
    add_users(db, 1)
    assert api("get_users").status == 200
    pid = _terminate_unseen(db, relay)
    # WHEN a read arrives
    reply = api("get_user", path=path)
    # THEN it is answered on a new session, not with a 503
    assert reply.status == 200, reply.body
    assert function_db.get_connection().info.backend_pid != pid


def test_write_on_a_session_ended_just_before_answers_503_and_writes_nothing(
    api: Invoke, db: psycopg.Connection[Any], relay: HoldingRelay
) -> None:
    # GIVEN the same unseen end of the session
    assert api("get_users").status == 200
    _terminate_unseen(db, relay)
    # WHEN a write arrives, THEN it is not run again (README: a write may have committed)
    reply = api("post_user", body={"name": "Ada", "email": "ada@example.com"})
    assert reply.status == 503
    assert int(reply.headers["Retry-After"]) > 0
    assert count_users(db) == 0
    # AND the client's retry is served on a new session
    assert api("post_user", body={"name": "Ada", "email": "ada@example.com"}).status == 201
    assert count_users(db) == 1


def test_database_down_answers_503_with_retry_after_and_no_internals(
    api: Invoke,
    database_down: DownDatabase,
    log_output: io.StringIO,
) -> None:
    # GIVEN a cold function whose DATABASE_URL names a socket directory with no server
    # WHEN a request arrives
    reply = api("get_users")
    # THEN it is told to come back later, with the request id and nothing internal
    assert reply.status == 503
    assert int(reply.headers["Retry-After"]) > 0
    assert reply.body["request_id"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    _assert_no_internals(reply.raw_body, database_down.socket_dir, database_down.password)
    logged = log_output.getvalue()
    assert "database unavailable" in logged
    assert database_down.password not in logged


def test_database_down_on_post_answers_503(
    api: Invoke,
    database_down: DownDatabase,
) -> None:
    reply = api("post_user", body={"name": "Ada", "email": "ada@example.com"})
    assert reply.status == 503
    assert "Retry-After" in reply.headers


def test_unexpected_error_answers_clean_500_with_request_id(
    api: Invoke, db: psycopg.Connection[Any], log_output: io.StringIO
) -> None:
    # GIVEN a schema the code does not expect (the table is gone)
    db.execute("ALTER TABLE users RENAME TO users_elsewhere")
    try:
        reply = api("post_user", body={"name": "Ada", "email": "ada@example.com"})
    finally:
        db.execute("ALTER TABLE users_elsewhere RENAME TO users")
    # THEN the client gets a bare 500 and the log gets the details
    assert reply.status == 500
    assert reply.body == {
        "message": "internal error",
        "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    }
    _assert_no_internals(reply.raw_body)
    records = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert any("UndefinedTable" in str(record.get("exception")) for record in records)
    assert count_users(db) == 0


def test_logs_never_carry_the_email_or_the_body(api: Invoke, log_output: io.StringIO) -> None:
    api("post_user", body={"name": "Private Person", "email": "private@example.com"})
    api("post_user", body={"name": "Private Person", "email": "PRIVATE@example.com"})
    logged = log_output.getvalue()
    assert "user created" in logged
    assert "private" not in logged.lower()
    assert "Private Person" not in logged
