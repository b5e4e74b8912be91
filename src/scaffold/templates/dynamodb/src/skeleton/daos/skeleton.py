"""The skeleton table: upserts and tombstones, the newest change wins; rows as Mirrored.

Both statements write only when the key holds nothing or an older sequence number, and say
so with RETURNING: None means the row already holds this change or a newer one (stale).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg.rows import class_row

if TYPE_CHECKING:
    from datetime import datetime
    from decimal import Decimal

    import psycopg

    from ..models import Item


@dataclass(slots=True)
class Mirrored:
    """A row of the table, as a write returns it; a tombstone has no quantity."""

    reference: str
    quantity: int | None
    sequence_number: Decimal
    deleted_at: datetime | None


def upsert(
    conn: psycopg.Connection[Any], item: Item, *, sequence_number: int, changed_at: datetime
) -> Mirrored | None:
    """Write the item as of this change; None when the row holds this change or a newer one."""
    with conn.cursor(row_factory=class_row(Mirrored)) as cur:
        cur.execute(
            """
            INSERT INTO skeleton AS t (reference, quantity, sequence_number, changed_at)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (reference) DO UPDATE
                SET quantity = EXCLUDED.quantity, sequence_number = EXCLUDED.sequence_number,
                    changed_at = EXCLUDED.changed_at, deleted_at = NULL
                WHERE t.sequence_number < EXCLUDED.sequence_number
            RETURNING reference, quantity, sequence_number, deleted_at
            """,
            [item.reference, item.quantity, sequence_number, changed_at],
        )
        return cur.fetchone()


def tombstone(
    conn: psycopg.Connection[Any], *, reference: str, sequence_number: int, deleted_at: datetime
) -> Mirrored | None:
    """Clear the item and mark it deleted; None when the row holds this change or a newer one.

    Written for a key never seen too, so that its older INSERT, arriving later, stays out.
    """
    with conn.cursor(row_factory=class_row(Mirrored)) as cur:
        cur.execute(
            """
            INSERT INTO skeleton AS t
                (reference, sequence_number, changed_at, deleted_at)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (reference) DO UPDATE
                SET quantity = NULL, sequence_number = EXCLUDED.sequence_number,
                    changed_at = EXCLUDED.changed_at, deleted_at = EXCLUDED.deleted_at
                WHERE t.sequence_number < EXCLUDED.sequence_number
            RETURNING reference, quantity, sequence_number, deleted_at
            """,
            [reference, sequence_number, deleted_at, deleted_at],
        )
        return cur.fetchone()
