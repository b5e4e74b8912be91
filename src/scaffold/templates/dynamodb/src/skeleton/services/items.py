"""Mirror rules: the newest change of a key wins, whatever the order and however often.

Each record carries the whole item (or its deletion), so a change never depends on the one
before it: applying a key's changes in any order, any number of times, ends in the state of
its newest change. That is what makes retries, replays and a failed record mid-batch safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.db import database_errors

from ..daos import skeleton as skeleton_dao

if TYPE_CHECKING:
    import psycopg

    from ..models import Change


def apply(conn: psycopg.Connection[Any], change: Change) -> bool:
    """Apply the change; False when the mirror holds this change of its key or a newer one."""
    with database_errors(), conn.transaction():
        if change.item is None:
            row = skeleton_dao.tombstone(
                conn,
                reference=change.reference,
                sequence_number=change.sequence_number,
                deleted_at=change.changed_at,
            )
        else:
            row = skeleton_dao.upsert(
                conn,
                change.item,
                sequence_number=change.sequence_number,
                changed_at=change.changed_at,
            )
    return row is not None
