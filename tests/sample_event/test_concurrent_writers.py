"""An import and registrations of the same emails at the same time: nothing fails, nothing doubles.

The import COPYs each batch straight into users. A registration that takes one of the batch's
emails meanwhile makes that COPY fail on the unique index; the import must then load the batch
another way, count the email as a duplicate and still complete. Uncommitted registrations hold
the import inside PostgreSQL (it waits on their row), so each race is staged, not timed.
"""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import psycopg

from sample_api.services.users import register

if TYPE_CHECKING:
    from sample_event.models import ImportSummary

ROWS = 3000
BATCH_ROWS = 1000
BODY = "name,email\n" + "".join(f"User {i},user{i}@example.com\n" for i in range(ROWS))


def _import(database_url: str, s3_client: Any, obj: Any, conn: Any) -> ImportSummary:
    from sample_event.models import ObjectRef
    from sample_event.services.imports import run_import

    ref = ObjectRef(obj.bucket, obj.key, obj.version_id, obj.etag)
    return run_import(
        conn,
        s3_client,
        ref,
        import_id=str(uuid.uuid4()),
        remaining_ms=60_000,
        batch_rows=BATCH_ROWS,
    )


def _wait_for_a_waiter_on(db: psycopg.Connection[Any], holder: psycopg.Connection[Any]) -> None:
    """Return once another session waits for the holder's transaction (a row it inserted)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        row = db.execute(
            "SELECT count(*) FROM pg_locks waiting JOIN pg_locks held"
            " ON held.locktype = 'transactionid' AND held.transactionid = waiting.transactionid"
            " WHERE held.pid = %s AND held.granted AND NOT waiting.granted",
            [holder.info.backend_pid],
        ).fetchone()
        if row and row[0]:
            return
        time.sleep(0.01)
    raise AssertionError("nobody waited for the holder's transaction")


def test_emails_registered_while_the_import_copies_them_are_counted_as_duplicates(
    upload: Any, db: Any, s3_client: Any, database_url: str, ledger: Any
) -> None:
    # GIVEN two registrations of the third batch's emails, each still uncommitted
    obj = upload(BODY)
    with (
        psycopg.connect(database_url, autocommit=True) as first,
        psycopg.connect(database_url, autocommit=True) as second,
        psycopg.connect(database_url, autocommit=True) as importing,
        ThreadPoolExecutor(1) as pool,
    ):
        first_tx, second_tx = first.transaction(), second.transaction()
        first_tx.__enter__()
        second_tx.__enter__()
        register(first, name="First Poster", email="USER2100@example.com")
        register(second, name="Second Poster", email="user2900@EXAMPLE.com")
        # WHEN the import runs and each registration commits while the import waits on it
        running = pool.submit(_import, database_url, s3_client, obj, importing)
        _wait_for_a_waiter_on(db, first)
        first_tx.__exit__(None, None, None)
        _wait_for_a_waiter_on(db, second)
        second_tx.__exit__(None, None, None)
        summary = running.result(timeout=60)
    # THEN the import completes, and each email exists once, as its first writer stored it
    assert (summary.status, summary.rows_read, summary.inserted, summary.duplicates) == (
        "completed",
        ROWS,
        ROWS - 2,
        2,
    )
    assert db.execute("SELECT count(*), count(DISTINCT lower(email)) FROM users").fetchone() == (
        ROWS,
        ROWS,
    )
    assert db.execute(
        "SELECT name, email FROM users WHERE lower(email) IN ('user2100@example.com',"
        " 'user2900@example.com') ORDER BY email"
    ).fetchall() == [
        ("First Poster", "USER2100@example.com"),
        ("Second Poster", "user2900@EXAMPLE.com"),
    ]
    [row] = ledger()
    assert (row["status"], row["inserted"], row["duplicates"]) == ("completed", ROWS - 2, 2)


def test_a_post_of_an_email_the_running_import_holds_gets_409_once_it_commits(
    upload: Any, db: Any, s3_client: Any, database_url: str, lambda_context: Any, ledger: Any
) -> None:
    from sample_api.index import handler
    from tests.fixtures.events import load_event

    # GIVEN an import held in its third batch by an uncommitted registration of one of its emails
    obj = upload(BODY)
    event = load_event("post_user")
    event["body"] = json.dumps({"name": "Late Poster", "email": "User10@Example.com"})
    with (
        psycopg.connect(database_url, autocommit=True) as holder,
        psycopg.connect(database_url, autocommit=True) as importing,
        ThreadPoolExecutor(2) as pool,
    ):
        held = holder.transaction()
        held.__enter__()
        register(holder, name="Holder", email="user2500@example.com")
        running = pool.submit(_import, database_url, s3_client, obj, importing)
        _wait_for_a_waiter_on(db, holder)
        # WHEN a POST /users of an email of its first batch arrives, and then the holder commits
        posting = pool.submit(handler, event, lambda_context("sample_api"))
        _wait_for_a_waiter_on(db, importing)
        held.__exit__(None, None, None)
        summary = running.result(timeout=60)
        response = posting.result(timeout=60)
    # THEN the POST is refused as a duplicate, and the import kept its first batch
    assert response["statusCode"] == 409, response
    assert (summary.status, summary.inserted, summary.duplicates) == ("completed", ROWS - 1, 1)
    assert db.execute(
        "SELECT name FROM users WHERE lower(email) = 'user10@example.com'"
    ).fetchall() == [("User 10",)]
    assert db.execute("SELECT count(*), count(DISTINCT lower(email)) FROM users").fetchone() == (
        ROWS,
        ROWS,
    )
    [row] = ledger()
    assert (row["status"], row["inserted"], row["duplicates"]) == ("completed", ROWS - 1, 1)


def test_an_import_deadlocked_with_a_registration_gives_way_and_completes(
    upload: Any, db: Any, s3_client: Any, database_url: str, ledger: Any
) -> None:
    # GIVEN a registration holding row 2's email, while the import's COPY holds row 1's and
    # waits for row 2; then the registration asks for row 1's email too: a deadlock. The
    # import's deadlock check runs first (3 s against the registration's 60 s), so the import
    # is the one PostgreSQL picks to fail.
    obj = upload(BODY)
    with (
        psycopg.connect(database_url, autocommit=True) as holder,
        psycopg.connect(database_url, autocommit=True) as importing,
        ThreadPoolExecutor(2) as pool,
    ):
        holder.execute("SET deadlock_timeout = '60s'")
        importing.execute("SET deadlock_timeout = '3s'")
        held = holder.transaction()
        held.__enter__()
        register(holder, name="Holder", email="user1@example.com")
        running = pool.submit(_import, database_url, s3_client, obj, importing)
        _wait_for_a_waiter_on(db, holder)
        crossing = pool.submit(register, holder, name="Holder", email="user0@example.com")
        # WHEN PostgreSQL breaks the deadlock by failing the import's COPY
        crossing.result(timeout=60)  # the import gave its rows back: the holder goes on
        _wait_for_a_waiter_on(db, holder)  # the import, again, now through the probe or staging
        held.__exit__(None, None, None)
        summary = running.result(timeout=60)
    # THEN the import completes without the holder's two emails, each of which exists once
    assert (summary.status, summary.inserted, summary.duplicates) == ("completed", ROWS - 2, 2)
    assert db.execute(
        "SELECT name FROM users WHERE email IN ('user0@example.com', 'user1@example.com')"
    ).fetchall() == [("Holder",), ("Holder",)]
    assert db.execute("SELECT count(*), count(DISTINCT lower(email)) FROM users").fetchone() == (
        ROWS,
        ROWS,
    )
    [row] = ledger()
    assert (row["status"], row["inserted"], row["duplicates"]) == ("completed", ROWS - 2, 2)
