"""Twenty simultaneous registrations of one email: PostgreSQL's unique index decides.

In Lambda, concurrency means more execution environments, each with its own connection.
The handler test reproduces that with twenty forked processes, each answering one POST
through the real entry point on a connection of its own. (Threads would not do: they
would share the process's one connection and queue on its lock instead of racing in the
database.) A faster thread-based test runs the same race one layer down, in the action.
In both, an uncommitted insert of the same email holds every writer inside PostgreSQL
until all twenty are waiting, so the race is real and not won by timing.
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

from localcloud.context import LocalContext
from sample_api.actions.create_user import create_user
from sample_api.errors import EmailTakenError
from shared import db as function_db
from shared.models import NewUser
from tests.fixtures.events import load_event

if TYPE_CHECKING:
    from collections.abc import Iterator
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Barrier

    from tests.sample_api.conftest import Invoke

WRITERS = 20


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
def _all_writers_blocked(database_url: str, db: psycopg.Connection[Any]) -> Iterator[None]:
    """Hold the email with an uncommitted insert; on exit, wait for every writer, then let go."""
    with psycopg.connect(database_url) as blocker:
        blocker.execute("INSERT INTO users (name, email) VALUES ('Blocker', 'Same@Example.com')")
        yield
        deadline = time.monotonic() + 20
        while _waiting_inserts(db) < WRITERS and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting_inserts(db) == WRITERS
        blocker.rollback()


def _assert_one_writer_row(db: psycopg.Connection[Any]) -> None:
    rows = db.execute("SELECT name FROM users WHERE lower(email) = 'same@example.com'").fetchall()
    assert len(rows) == 1
    assert rows[0][0].startswith("Writer ")


def _post_from_own_environment(index: int, start: Barrier, results: Queue[Any]) -> None:
    try:
        from sample_api.index import handler

        event = load_event("post_user")
        event["body"] = json.dumps({"name": f"Writer {index}", "email": _email(index)})
        start.wait()
        results.put(handler(event, LocalContext(function_name="sample_api"))["statusCode"])
    except BaseException as exc:  # reported to the test, which fails on anything but a status
        results.put(repr(exc))


def test_twenty_environments_posting_one_email_get_one_201_and_nineteen_409s(
    api: Invoke, database_url: str, db: psycopg.Connection[Any]
) -> None:
    # GIVEN no inherited connection: each forked environment opens its own, as in Lambda
    function_db.close()
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(WRITERS), context.Queue()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with pytest's threads around
        workers = [
            context.Process(target=_post_from_own_environment, args=(i, start, results))
            for i in range(WRITERS)
        ]
        # WHEN twenty POSTs of one email reach the database together
        with _all_writers_blocked(database_url, db):
            for worker in workers:
                worker.start()
    statuses = sorted(str(results.get(timeout=30)) for _ in range(WRITERS))
    for worker in workers:
        worker.join(timeout=10)
    # THEN one 201, nineteen 409s, one row
    assert statuses == ["201"] + ["409"] * (WRITERS - 1)
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
        with _all_writers_blocked(database_url, db):
            futures = [pool.submit(_register, database_url, i, start) for i in range(WRITERS)]
        outcomes = sorted(future.result(timeout=30) for future in futures)
    assert outcomes == ["created"] + ["taken"] * (WRITERS - 1)
    _assert_one_writer_row(db)
