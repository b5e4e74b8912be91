"""The skeleton table: SQL only, placeholders only, rows as Run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg.rows import class_row

if TYPE_CHECKING:
    from datetime import datetime

    import psycopg


@dataclass(slots=True)
class Run:
    """A row of the table: one scheduled time, done."""

    scheduled_at: datetime
    rows_counted: int
    finished_at: datetime


def count(conn: psycopg.Connection[Any]) -> int:
    """How many runs the table holds."""
    row = conn.execute("SELECT count(*) FROM skeleton").fetchone()
    return 0 if row is None else int(row[0])


def insert(
    conn: psycopg.Connection[Any], *, scheduled_at: datetime, rows_counted: int
) -> Run | None:
    """Record a run; None when this scheduled time is already recorded."""
    with conn.cursor(row_factory=class_row(Run)) as cur:
        cur.execute(
            """
            INSERT INTO skeleton (scheduled_at, rows_counted) VALUES (%s, %s)
            ON CONFLICT (scheduled_at) DO NOTHING
            RETURNING scheduled_at, rows_counted, finished_at
            """,
            [scheduled_at, rows_counted],
        )
        return cur.fetchone()
