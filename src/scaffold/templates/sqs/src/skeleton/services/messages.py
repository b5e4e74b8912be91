"""Message rules: one row per SQS message id, so that a redelivery records nothing twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..daos import skeleton as skeleton_dao

if TYPE_CHECKING:
    import psycopg

    from ..models import Message


def accept(conn: psycopg.Connection[Any], *, message_id: str, message: Message) -> bool:
    """Record the message; False when its id is already recorded."""
    with conn.transaction():
        row = skeleton_dao.insert_accepted(
            conn,
            message_id=message_id,
            reference=message.reference,
            quantity=message.quantity,
        )
    return row is not None


def reject(conn: psycopg.Connection[Any], *, message_id: str, reason: str, body: str) -> bool:
    """Keep a message that can never be recorded, with why; False when already kept."""
    with conn.transaction():
        row = skeleton_dao.insert_rejected(
            conn,
            message_id=message_id,
            reason=reason,
            body=body,
        )
    return row is not None
