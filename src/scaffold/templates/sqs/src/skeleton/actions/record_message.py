"""Use case: record one message, or keep it as rejected when it can never be recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from shared.db import get_connection
from shared.log import get_logger

from ..models import Message, rejection_reason
from ..services import messages

if TYPE_CHECKING:
    import psycopg

logger = get_logger()


def record_message(
    message_id: str, body: str, *, conn: psycopg.Connection[Any] | None = None
) -> str:
    """accepted, rejected or duplicate; a database failure raises, so that SQS retries."""
    try:
        message = Message.model_validate_json(body)
    except ValidationError as exc:
        reason = rejection_reason(exc)
        conn = conn or get_connection()
        if not messages.reject(conn, message_id=message_id, reason=reason, body=body):
            return "duplicate"
        # The one log line of this message: its id and why; never its body.
        extra = {"message_id": message_id, "reason": reason}
        logger.error("message rejected, not retried", extra=extra)
        return "rejected"
    conn = conn or get_connection()
    if not messages.accept(conn, message_id=message_id, message=message):
        logger.info("message already recorded", extra={"message_id": message_id})
        return "duplicate"
    logger.info("message recorded", extra={"message_id": message_id})
    return "accepted"
