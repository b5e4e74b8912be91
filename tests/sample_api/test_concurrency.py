"""Twenty simultaneous registrations of one email: PostgreSQL's unique index decides.

Each thread has its own connection and calls the create_user action, the code under the
handler. The handler itself cannot show this: it holds one connection per process (as in
Lambda, where concurrency means more execution environments, each with its own connection),
so threads sharing it would queue on its lock, not race in the database.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import psycopg

from sample_api.actions.create_user import create_user
from shared.errors import EmailTakenError
from shared.models import NewUser

if TYPE_CHECKING:
    from tests.sample_api.conftest import Invoke

WRITERS = 20


def _register(database_url: str, index: int, start: threading.Barrier) -> str:
    # The same address in a different case per writer: uniqueness ignores case.
    email = "same@example.com" if index % 2 else "SAME@Example.COM"
    new_user = NewUser.model_validate({"name": f"Writer {index}", "email": email})
    with psycopg.connect(database_url, autocommit=True, prepare_threshold=None) as conn:
        start.wait()
        try:
            create_user(conn, new_user)
        except EmailTakenError:
            return "taken"
    return "created"


def _waiting_inserts(db: psycopg.Connection[Any]) -> int:
    row = db.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        " AND query LIKE 'INSERT INTO users%'"
    ).fetchone()
    return int(row[0]) if row else 0


def test_concurrent_posts_of_one_email_create_exactly_one_user(
    api: Invoke, database_url: str, db: psycopg.Connection[Any]
) -> None:
    start = threading.Barrier(WRITERS)
    with psycopg.connect(database_url) as blocker, ThreadPoolExecutor(WRITERS) as pool:
        # GIVEN an uncommitted insert of the same email, so that every writer has to wait
        blocker.execute("INSERT INTO users (name, email) VALUES ('Blocker', 'Same@Example.com')")
        # WHEN twenty writers start together
        futures = [pool.submit(_register, database_url, i, start) for i in range(WRITERS)]
        deadline = time.monotonic() + 10
        while _waiting_inserts(db) < WRITERS and time.monotonic() < deadline:
            time.sleep(0.02)
        # ...all twenty are inside PostgreSQL at once, when the blocker gives up
        assert _waiting_inserts(db) == WRITERS
        blocker.rollback()
        outcomes = sorted(future.result(timeout=10) for future in futures)
    # THEN one wins, nineteen are told the email is taken, and one row exists
    assert outcomes.count("created") == 1
    assert outcomes.count("taken") == WRITERS - 1
    rows = db.execute("SELECT name FROM users WHERE lower(email) = 'same@example.com'").fetchall()
    assert len(rows) == 1
    assert rows[0][0].startswith("Writer ")
