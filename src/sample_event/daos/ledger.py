"""The import ledger: one row per object version (migrations/0002, 0003)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psycopg.types.json import Jsonb

if TYPE_CHECKING:
    from psycopg import Connection

    from sample_event.models import ImportSummary, ObjectRef

_KEY = "bucket = %(bucket)s AND object_key = %(key)s AND object_version = %(version)s"


def _params(ref: ObjectRef, import_id: str, **extra: Any) -> dict[str, Any]:
    return {"bucket": ref.bucket, "key": ref.key, "version": ref.version, "id": import_id, **extra}


def claim(conn: Connection[Any], ref: ObjectRef, import_id: str, *, expiry_ms: int) -> bool:
    """Take the row for this run: new, or in progress past its expiry. False: leave it alone."""
    # Read first, without locking: a running import holds its row locked for minutes, and
    # the upsert below would wait on that lock until the statement timeout, then fail.
    found = conn.execute(
        f"SELECT status = 'in_progress' AND claimed_until <= now() FROM imports WHERE {_KEY}",  # noqa: S608
        _params(ref, import_id),
    ).fetchone()
    if found is not None and not found[0]:
        return False
    row = conn.execute(
        """
        INSERT INTO imports AS i
            (bucket, object_key, object_version, status, import_id, claimed_until)
        VALUES (%(bucket)s, %(key)s, %(version)s, 'in_progress', %(id)s,
                now() + %(expiry_ms)s * interval '1 millisecond')
        ON CONFLICT (bucket, object_key, object_version) DO UPDATE
            SET import_id = EXCLUDED.import_id, claimed_until = EXCLUDED.claimed_until,
                attempts = i.attempts + 1, started_at = now()
            WHERE i.status = 'in_progress' AND i.claimed_until <= now()
        RETURNING 1
        """,
        _params(ref, import_id, expiry_ms=expiry_ms),
    ).fetchone()
    return row is not None


def status(conn: Connection[Any], ref: ObjectRef) -> str | None:
    """The row's status, for the log of a run that found it taken."""
    row = conn.execute(
        f"SELECT status FROM imports WHERE {_KEY}",  # noqa: S608 (constant text)
        _params(ref, ""),
    ).fetchone()
    return None if row is None else str(row[0])


def lock_claim(conn: Connection[Any], ref: ObjectRef, import_id: str) -> bool:
    """Lock our claimed row for the transaction; False if another run took it over."""
    row = conn.execute(
        f"SELECT 1 FROM imports WHERE {_KEY} AND import_id = %(id)s"  # noqa: S608
        " AND status = 'in_progress' FOR UPDATE",
        _params(ref, import_id),
    ).fetchone()
    return row is not None


def finish(
    conn: Connection[Any], ref: ObjectRef, summary: ImportSummary, report: dict[str, Any] | None
) -> None:
    """Record the outcome of our claim, with the report to write once this commits."""
    conn.execute(
        f"""
        UPDATE imports SET status = %(status)s, finished_at = now(),
            report_owned_until = claimed_until, claimed_until = NULL,
            rows_read = %(rows_read)s, inserted = %(inserted)s, duplicates = %(duplicates)s,
            rejected = %(rejected)s, error = %(error)s, report = %(report)s
        WHERE {_KEY} AND import_id = %(id)s AND status = 'in_progress'
        """,  # noqa: S608 (constant text)
        _params(
            ref,
            summary.import_id,
            status=summary.status,
            rows_read=summary.rows_read,
            inserted=summary.inserted,
            duplicates=summary.duplicates,
            rejected=summary.rejected,
            error=summary.error,
            report=None if report is None else Jsonb(report),
        ),
    )


def unwritten_report(conn: Connection[Any], ref: ObjectRef) -> dict[str, Any] | None:
    """The report of a finished import that is not in S3 and that its own run gave up."""
    row = conn.execute(
        f"SELECT report FROM imports WHERE {_KEY} AND status <> 'in_progress'"  # noqa: S608
        " AND report IS NOT NULL AND report_written_at IS NULL"
        " AND (report_owned_until IS NULL OR report_owned_until <= now())",
        _params(ref, ""),
    ).fetchone()
    return None if row is None else dict(row[0])


def report_written(conn: Connection[Any], ref: ObjectRef) -> None:
    """Note that the report is in S3, so that a re-delivery leaves it alone."""
    conn.execute(
        f"UPDATE imports SET report_written_at = now() WHERE {_KEY}",  # noqa: S608
        _params(ref, ""),
    )


def give_up_report(conn: Connection[Any], ref: ObjectRef) -> None:
    """Our report write failed: the next delivery may write it from the ledger at once."""
    conn.execute(
        f"UPDATE imports SET report_owned_until = NULL WHERE {_KEY}",  # noqa: S608
        _params(ref, ""),
    )


def release(conn: Connection[Any], ref: ObjectRef, import_id: str, reason: str) -> None:
    """Let a retry take over at once after a transient failure of our run."""
    # By the run's id, not the version: the caller may know only the event's fields, and
    # the claim was taken under the version read.
    conn.execute(
        "UPDATE imports SET claimed_until = now(), error = %(reason)s"
        " WHERE bucket = %(bucket)s AND object_key = %(key)s AND import_id = %(id)s"
        " AND status = 'in_progress'",
        _params(ref, import_id, reason=reason),
    )
