"""Job rules: one run per scheduled time, its work and its record in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..daos import skeleton as skeleton_dao

if TYPE_CHECKING:
    from datetime import datetime

    import psycopg

    from ..daos.skeleton import Run


def run_once(conn: psycopg.Connection[Any], *, scheduled_at: datetime) -> Run | None:
    """Do the job and record it; None when a run of this time is already recorded.

    Two deliveries at once both do the work, but only one commits its record: the other's
    insert waits for it, then finds the row and the transaction records nothing.
    """
    with conn.transaction():
        # The job's own work goes here; this one counts the runs recorded so far.
        counted = skeleton_dao.count(conn)
        return skeleton_dao.insert(
            conn,
            scheduled_at=scheduled_at,
            rows_counted=counted,
        )
