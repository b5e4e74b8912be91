"""Simultaneous registrations of one email: PostgreSQL's unique index decides.

In Lambda, concurrency means more execution environments, each with its own connection.
The handler test reproduces that with processes, each answering one POST through the real
entry point on a connection of its own. (Threads would not do: they would share the
process's one connection and queue on its lock instead of racing in the database.) They are
started the way multiprocessing starts them here (spawned on macOS and under `make test`,
forked by default on Linux), and each cold-starts its handler before the race begins, so
that a slow start (a spawned process imports everything anew) never eats into the race.
A faster thread-based test runs the same race one layer down, in the action, with twenty
writers. In both, an uncommitted insert of the same email holds every writer inside
PostgreSQL until all of them are waiting, so the race is real and not won by timing.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg

from sample_api.actions.create_user import create_user
from sample_api.errors import EmailTakenError
from shared import db as function_db
from shared.models import NewUser
from tests.fixtures.events import load_event
from tests.sample_api.environment import answer_once

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.sample_api.conftest import Invoke

WRITERS = 20  # in the action: threads, each with a connection of its own
# Through the handler: processes, each cold-starting it (~1 s of CPU when spawned). Three race
# as twenty would (the address in both cases): every writer waits on the blocker's row, then
# PostgreSQL decides.
ENVIRONMENTS = 3
COLD_STARTS_SECONDS = 120  # every environment has imported its handler (two loaded cores)


def _email(index: int) -> str:
    # The same address in a different case per writer: uniqueness ignores case.
    return "same@example.com" if index % 2 else "SAME@Example.COM"


def _waiting_inserts(db: psycopg.Connection[Any]) -> int:
    row = db.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        " AND query LIKE 'INSERT INTO users%'"
    ).fetchone()
    return int(row[0]) if row else 0


@contextmanager
def _all_writers_blocked(
    database_url: str, db: psycopg.Connection[Any], writers: int
) -> Iterator[None]:
    """Hold the email with an uncommitted insert; on exit, wait for every writer, then let go."""
    with psycopg.connect(database_url) as blocker:
        blocker.execute("INSERT INTO users (name, email) VALUES ('Blocker', 'Same@Example.com')")
        yield
        deadline = time.monotonic() + 20
        while _waiting_inserts(db) < writers and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting_inserts(db) == writers
        blocker.rollback()


def _post(index: int) -> dict[str, Any]:
    event = load_event("post_user")
    event["body"] = json.dumps({"name": f"Writer {index}", "email": _email(index)})
    return event


def _assert_one_writer_row(db: psycopg.Connection[Any]) -> None:
    rows = db.execute("SELECT name FROM users WHERE lower(email) = 'same@example.com'").fetchall()
    assert len(rows) == 1
    assert rows[0][0].startswith("Writer ")


def test_concurrent_environments_posting_one_email_get_one_201_and_the_rest_409s(
    api: Invoke, database_url: str, db: psycopg.Connection[Any]
) -> None:
    # GIVEN environments that have each cold-started the handler, none with an inherited
    # connection (a forked one would share the parent's socket): each opens its own, as in Lambda
    function_db.close()
    context = multiprocessing.get_context()  # the start method of this run (--start-method)
    ready, go, results = context.Barrier(ENVIRONMENTS + 1), context.Event(), context.Queue()
    workers = [
        context.Process(target=answer_once, args=(_post(i), ready, go, results))
        for i in range(ENVIRONMENTS)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with pytest's threads around
        for worker in workers:
            worker.start()
    try:
        try:
            ready.wait(timeout=COLD_STARTS_SECONDS)
        except threading.BrokenBarrierError:
            failure = results.get(timeout=5)
            raise AssertionError(f"an environment failed to start: {failure}") from None
        # WHEN their POSTs of one email reach the database together
        with _all_writers_blocked(database_url, db, ENVIRONMENTS):
            go.set()
        statuses = sorted(str(results.get(timeout=30)) for _ in range(ENVIRONMENTS))
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
    # THEN one 201, the rest 409s, one row
    assert statuses == ["201"] + ["409"] * (ENVIRONMENTS - 1)
    _assert_one_writer_row(db)


def _register(database_url: str, index: int, start: threading.Barrier) -> str:
    new_user = NewUser.model_validate({"name": f"Writer {index}", "email": _email(index)})
    with psycopg.connect(database_url, autocommit=True, prepare_threshold=None) as conn:
        start.wait()
        try:
            create_user(conn, new_user)
        except EmailTakenError:
            return "taken"
    return "created"


def test_twenty_connections_racing_in_the_action_create_exactly_one_user(
    api: Invoke, database_url: str, db: psycopg.Connection[Any]
) -> None:
    start = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(WRITERS) as pool:
        with _all_writers_blocked(database_url, db, WRITERS):
            futures = [pool.submit(_register, database_url, i, start) for i in range(WRITERS)]
        outcomes = sorted(future.result(timeout=30) for future in futures)
    assert outcomes == ["created"] + ["taken"] * (WRITERS - 1)
    _assert_one_writer_row(db)
