"""Use case: apply the records of one batch to the mirror, in order, each on its own.

A record that fails raises, and the batch processor reports it by its sequence number; the
records after it still apply. Lambda retries from the lowest failed sequence number, and the
records after it that already applied come back as no-ops (stale). Not waiting for a failed
record is safe because every record carries the whole item: the newest change of a key wins,
whether an older one failed, succeeds later, or never applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.db import get_connection
from shared.errors import PermanentError, TransientError
from shared.log import get_logger

from ..changes import sequence_number, to_change
from ..errors import NotTriedError
from ..services import items

if TYPE_CHECKING:
    import psycopg
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
        DynamoDBRecord,
    )

logger = get_logger()


class ChangeBatch:
    """The record handler of one invocation. After the database fails, later records fail untried.

    They come back anyway (Lambda retries from the lowest failed sequence number), and trying
    each one could cost a connect timeout.
    """

    def __init__(self, conn: psycopg.Connection[Any] | None = None) -> None:
        self._conn = conn
        self._database_failed = False

    def __call__(self, record: DynamoDBRecord) -> str:
        """ "applied", or "stale" when the mirror holds this change of the key or a newer one."""
        if self._database_failed:
            raise NotTriedError("not tried: the database failed on an earlier record")
        # The one log line of a failed record: its sequence number and why; never its image.
        extra: dict[str, Any] = {"sequence_number": sequence_number(record)}
        try:
            applied = items.apply(self._conn or get_connection(), to_change(record))
        except PermanentError as exc:
            logger.error("change rejected", extra={**extra, "reason": str(exc)})
            raise
        except TransientError as exc:
            self._database_failed = True
            message = "database unavailable: this change and the later ones come back"
            logger.error(message, extra={**extra, "reason": str(exc)})
            raise
        except Exception as exc:
            # A bug. Its message may quote the row (a constraint's DETAIL): log its kind only.
            reason = f"{type(exc).__name__} {getattr(exc, 'sqlstate', None) or ''}".strip()
            logger.error("change failed", extra={**extra, "reason": reason})
            raise
        return "applied" if applied else "stale"
