"""Batches of valid rows loaded into users by a worker thread, overlapping the CSV parsing.

A batch maps lower(email) to the first row of that email in the batch (staging.copy_line),
in file order. It is COPYed straight into users inside a savepoint, which costs PostgreSQL
about what psql's \\copy does. If one of its emails is taken (in the table already, or by a
concurrent POST or import), the COPY fails on the unique index, or deadlocks with that
writer: the savepoint is rolled back, one probe finds which of the batch's emails users has,
and the rest is COPYed again. From then on every batch of the file is probed first, since the
file meets the table's emails. If even that COPY fails (a writer took an email since the
probe), the batch goes through a staging table and INSERT ... ON CONFLICT DO NOTHING, which
waits for the other writer and skips what it took. Batches go in file order, so the first
occurrence of an email still wins across batches (a later batch meets the row in the table),
and all run in the caller's transaction. One thread uses the connection at a time: the
caller only parses while a batch is in flight.
"""

from __future__ import annotations

import string
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any, Self

from psycopg import errors

from sample_event.daos import staging

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from concurrent.futures import Future
    from types import TracebackType

    from psycopg import Connection

# Rows per batch: two batches (one loading, one filling) stay ~25 MB of Python objects, and a
# 10 M-row file takes 200 savepoints (see docs/operations.md on long imports).
BATCH_ROWS = 50_000


class BatchLoader:
    """submit(batch) loads one batch in the background; inserted is the running total."""

    def __init__(self, conn: Connection[Any]) -> None:
        self._conn = conn
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-batch")
        self._pending: Future[int] | None = None
        self._staging = False
        self._probe = False
        self.inserted = 0
        self.fold = case_fold(staging.lower_of(conn, string.ascii_uppercase))

    def submit(self, batch: dict[str, str]) -> None:
        """Wait for the batch in flight (raising its error), then start this one."""
        self.finish()
        if batch:
            self._pending = self._executor.submit(self._load, batch)

    def finish(self) -> int:
        """Wait for the batch in flight; returns the rows inserted so far."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.inserted += pending.result()
        return self.inserted

    def _load(self, batch: dict[str, str]) -> int:
        if not self._probe:
            inserted = self._copy(batch.values())
            if inserted is not None:
                return inserted
            self._probe = True  # this file meets taken emails: probe every batch from now on
        taken = set(staging.taken(self._conn, batch.keys()))
        inserted = self._copy([line for key, line in batch.items() if key not in taken])
        if inserted is not None:
            return inserted
        if not self._staging:
            staging.create(self._conn)
            self._staging = True
        return staging.insert_through_staging(self._conn, "".join(batch.values()))

    def _copy(self, lines: Iterable[str]) -> int | None:
        """COPY into users in a savepoint; None if an email was taken (nothing is kept)."""
        try:
            with self._conn.transaction():
                return staging.copy_users(self._conn, "".join(lines))
        except (errors.UniqueViolation, errors.DeadlockDetected):
            return None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # On an error, the batch in flight must be done with the connection before the
        # caller rolls back; its own outcome no longer matters.
        if self._pending is not None:
            wait([self._pending])
        self._executor.shutdown(wait=True)


def case_fold(lowered_alphabet: str) -> Callable[[str], str]:
    """Python's key for an email that matches the database's lower(), given lower(A-Z).

    Emails are ASCII (the HTML Standard's rule), and lower() of ASCII letters is Python's
    str.lower in every database locale but Turkish and Azeri ones, where lower('I') is the
    dotless i (U+0131).
    """
    if lowered_alphabet == string.ascii_lowercase:
        return str.lower
    table = str.maketrans(string.ascii_uppercase, lowered_alphabet)
    return lambda email: email.translate(table)
