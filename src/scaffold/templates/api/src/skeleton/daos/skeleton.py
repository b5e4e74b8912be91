"""The skeleton table: SQL only, placeholders only, rows as Item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg.rows import class_row

if TYPE_CHECKING:
    from datetime import datetime

    import psycopg


# Not frozen: class_row builds one per row, and a frozen dataclass's __init__ costs more.
@dataclass(slots=True)
class Item:
    """A row of the table."""

    id: int
    reference: str
    quantity: int
    created_at: datetime


def insert(conn: psycopg.Connection[Any], *, reference: str, quantity: int) -> Item | None:
    """Insert an item; None when its reference is taken."""
    with conn.cursor(row_factory=class_row(Item)) as cur:
        cur.execute(
            """
            INSERT INTO skeleton (reference, quantity) VALUES (%s, %s)
            ON CONFLICT (reference) DO NOTHING
            RETURNING id, reference, quantity, created_at
            """,
            [reference, quantity],
        )
        return cur.fetchone()


def select_by_id(conn: psycopg.Connection[Any], item_id: int) -> Item | None:
    """The item with this id, or None."""
    with conn.cursor(row_factory=class_row(Item)) as cur:
        cur.execute(
            """
            SELECT id, reference, quantity, created_at FROM skeleton WHERE id = %s
            """,
            [item_id],
        )
        return cur.fetchone()


def select_page(conn: psycopg.Connection[Any], *, after_id: int, limit: int) -> list[Item]:
    """Up to `limit` items with an id above `after_id`, in id order (keyset pagination)."""
    with conn.cursor(row_factory=class_row(Item)) as cur:
        cur.execute(
            """
            SELECT id, reference, quantity, created_at FROM skeleton
            WHERE id > %s ORDER BY id LIMIT %s
            """,
            [after_id, limit],
        )
        return cur.fetchall()
