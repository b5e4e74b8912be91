"""Use case: the job of one scheduled time, done once."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

from shared.db import get_connection
from shared.log import get_logger

from ..services import runs

if TYPE_CHECKING:
    from datetime import datetime

    import psycopg

logger = get_logger()


def run_job(
    scheduled_at: datetime, *, conn: psycopg.Connection[Any] | None = None
) -> dict[str, Any]:
    """What the run did: done now, or already done by an earlier delivery."""
    when = scheduled_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    run = runs.run_once(conn or get_connection(), scheduled_at=scheduled_at)
    if run is None:
        logger.info("job already done for this time", extra={"scheduled_at": when})
        return {"scheduled_at": when, "status": "already done"}
    logger.info("job done", extra={"scheduled_at": when, "rows_counted": run.rows_counted})
    return {"scheduled_at": when, "status": "done", "rows_counted": run.rows_counted}
