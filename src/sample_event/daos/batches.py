"""Batches of staged rows loaded into users by a worker thread, overlapping the CSV parsing.

The parsing (Python, one core) and the database's COPY and INSERT (the other core) used to
run one after the other; with a batch in flight while the next one is parsed they overlap.
Batches go in file order, so the first occurrence of an email still wins across batches
(a later one meets ON CONFLICT), and all run in the caller's transaction. One thread uses
the connection at a time: the caller only parses while a batch is in flight.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any, Self

from sample_event.daos import staging

if TYPE_CHECKING:
    from concurrent.futures import Future
    from types import TracebackType

    from psycopg import Connection

# Rows per batch: its sort fits in work_mem, and two batches of text stay a few MB.
BATCH_ROWS = 200_000


class BatchLoader:
    """submit(blocks) loads one batch in the background; inserted is the running total."""

    def __init__(self, conn: Connection[Any]) -> None:
        self._conn = conn
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-batch")
        self._pending: Future[int] | None = None
        self.inserted = 0

    def submit(self, blocks: list[str]) -> None:
        """Wait for the batch in flight (raising its error), then start this one."""
        self.finish()
        self._pending = self._executor.submit(_load, self._conn, blocks)

    def finish(self) -> int:
        """Wait for the batch in flight; returns the rows inserted so far."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.inserted += pending.result()
        return self.inserted

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


def _load(conn: Connection[Any], blocks: list[str]) -> int:
    with staging.copy_rows(conn) as copy:
        for block in blocks:
            copy.write(block)
    inserted = staging.insert_users(conn)
    conn.execute("TRUNCATE import_staging")
    return inserted
