"""API drills on the worker's database: a server that never answers, a table locked too long.

Requests go over real HTTP through the local gateway, so what is measured is what a client
of API Gateway would see; each fault is real (a listening socket that never speaks, a lock
held by another session).
"""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

from tests.drills.http import call
from tests.fuzz.gateway import serve_api

if TYPE_CHECKING:
    from collections.abc import Iterator

CONNECT_TIMEOUT = 2  # seconds; psycopg (like libpq) treats anything below 2 as 2
STATEMENT_TIMEOUT_MS = 1000
MARGIN = 2.0  # seconds of scheduling slack on a busy 2-core machine; far below 29


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A URL whose TCP port accepts connections (the kernel's backlog) and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        yield f"postgresql://app:hunter2@127.0.0.1:{port}/postgres"


def test_database_not_answering_at_cold_start_gives_503_within_connect_timeout(
    silent_server: str, db: psycopg.Connection[Any]
) -> None:
    # GIVEN a function whose database accepts the connection and then never answers
    with serve_api(silent_server, DB_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT)) as url:
        assert call(url, "GET", "/openapi.json").status == 200  # loaded; no connection yet
        # WHEN the first requests need the database
        read = call(url, "GET", "/users")
        write = call(url, "POST", "/users", {"name": "Ada", "email": "ada@example.com"})
    # THEN each gives up after the connect timeout, not the gateway's 29 s, and says retry
    for answer in (read, write):
        assert answer.status == 503
        assert int(answer.headers["Retry-After"]) > 0
        assert answer.body["request_id"]
        assert CONNECT_TIMEOUT - 0.5 <= answer.seconds <= CONNECT_TIMEOUT + MARGIN
        assert "hunter2" not in str(answer.body)
    # AND nothing was written anywhere (the worker's database saw no insert either)
    assert db.execute("SELECT count(*) FROM users").fetchone() == (0,)


def test_table_locked_past_the_statement_timeout_gives_503_then_recovers(
    database_url: str, db: psycopg.Connection[Any]
) -> None:
    env = {"DB_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS)}
    with serve_api(database_url, **env) as url:
        assert call(url, "GET", "/users").status == 200  # warm, connected
        with psycopg.connect(database_url) as locker:
            # GIVEN another session holding an ACCESS EXCLUSIVE lock on users
            locker.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
            # WHEN requests need the table
            read = call(url, "GET", "/users/1")
            write = call(url, "POST", "/users", {"name": "Ada", "email": "ada@example.com"})
        # THEN each is refused after the statement timeout, and the next one succeeds
        after = call(url, "POST", "/users", {"name": "Ada", "email": "ada@example.com"})
    timeout = STATEMENT_TIMEOUT_MS / 1000
    for answer in (read, write):
        assert answer.status == 503
        assert "Retry-After" in answer.headers
        assert timeout <= answer.seconds <= timeout + MARGIN
    assert after.status == 201
    assert db.execute("SELECT count(*) FROM users").fetchone() == (1,)
