"""The skeleton table: SQL only, placeholders only, rows as Received."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg.rows import class_row

if TYPE_CHECKING:
    from datetime import datetime

    import psycopg


@dataclass(slots=True)
class Received:
    """A row of the table, as an insert returns it."""

    message_id: str
    status: str
    received_at: datetime


def insert_accepted(
    conn: psycopg.Connection[Any], *, message_id: str, reference: str, quantity: int
) -> Received | None:
    """Insert an accepted message; None when its id is already in the table."""
    with conn.cursor(row_factory=class_row(Received)) as cur:
        cur.execute(
            """
            INSERT INTO skeleton (message_id, status, reference, quantity)
            VALUES (%s, 'accepted', %s, %s)
            ON CONFLICT (message_id) DO NOTHING
            RETURNING message_id, status, received_at
            """,
            [message_id, reference, quantity],
        )
        return cur.fetchone()


def insert_rejected(
    conn: psycopg.Connection[Any], *, message_id: str, reason: str, body: str
) -> Received | None:
    """Insert a rejected message with why; None when its id is already in the table."""
    with conn.cursor(row_factory=class_row(Received)) as cur:
        cur.execute(
            """
            INSERT INTO skeleton (message_id, status, reason, body)
            VALUES (%s, 'rejected', %s, %s)
            ON CONFLICT (message_id) DO NOTHING
            RETURNING message_id, status, received_at
            """,
            [message_id, reason, body],
        )
        return cur.fetchone()
