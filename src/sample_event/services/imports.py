"""One S3 object imported in one transaction: claim, stage, insert, record; then the report.

The JSON report is written after COMMIT, so that no reader sees a report before its rows,
and a failed COMMIT leaves no report that lies. The ledger row keeps the report: if writing
it fails, the error is raised (the delivery is retried) and the retry, finding the import
completed, writes the report from the ledger and imports nothing. The rejected-rows CSV is
completed before COMMIT: it depends on the file alone, so a retry writes the same one.

The ledger row is keyed by the version read (GetObject's VersionId, else its ETag), never by
the event's fields, which vary between deliveries: a re-delivered event, in whatever shape,
finds the row taken and imports nothing. A file that is not a CSV of users is recorded as
failed and imports nothing; a transient failure raises.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sample_event.aws import s3
from sample_event.daos import batches, ledger
from sample_event.errors import ImportFileError, ObjectGoneError
from sample_event.models import ImportSummary
from sample_event.services import limits, reports
from shared.errors import TransientError
from shared.log import get_logger

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mypy_boto3_s3 import S3Client
    from psycopg import Connection

    from sample_event.models import ObjectRef

logger = get_logger()
# The claim outlives the run by nothing: in Lambda the run cannot outlive its remaining time.
_MIN_BUDGET_MS = 1000


def is_importable(key: str) -> bool:
    """Only CSV files under imports/; this also keeps the function off its own reports."""
    return key.startswith(reports.IMPORTS_PREFIX) and key.lower().endswith(".csv")


def run_import(
    conn: Connection[Any],
    client: S3Client,
    ref: ObjectRef,
    *,
    import_id: str,
    remaining_ms: int,
    chunk_size: int = s3.CHUNK_SIZE,
    batch_rows: int = batches.BATCH_ROWS,
    bytes_per_second: int | None = None,
) -> ImportSummary:
    """Import one object version, at most once; see the module docstring for the outcomes."""
    started = time.monotonic()
    budget_ms = max(remaining_ms, _MIN_BUDGET_MS)
    try:
        chunks = s3.open_object(client, ref, chunk_size)
    except ObjectGoneError as exc:
        return _skip(conn, client, ref, import_id, budget_ms, str(exc))
    # The ledger knows the object by the version read, not by what the event carried: a
    # delivery without versionId or ETag is the same import as one with them.
    ref = chunks.ref
    if not ledger.claim(conn, ref, import_id, expiry_ms=budget_ms):
        chunks.close()
        return _taken(conn, client, ref, import_id)
    rate = bytes_per_second or limits.bytes_per_second()
    if chunks.size > limits.max_bytes(rate, budget_ms):
        chunks.close()  # refused unread: retrying cannot make it fit
        error = limits.refusal(chunks.size, rate, budget_ms)
        return _refuse(conn, client, ref, ImportSummary(import_id, "failed", error=error))
    rejects = reports.RejectReport(client, ref)
    try:
        with conn.transaction():
            # A run that dies mid-COPY must not hold its locks past its claim.
            for setting in ("statement_timeout", "idle_in_transaction_session_timeout"):
                conn.execute("SELECT set_config(%s, %s, true)", [setting, str(budget_ms)])
            if not ledger.lock_claim(conn, ref, import_id):
                chunks.close()
                return _taken(conn, client, ref, import_id)
            summary = _load(conn, chunks, rejects, import_id, batch_rows)
            summary.duration_ms = int((time.monotonic() - started) * 1000)
            published = rejects.publish() if summary.status == "completed" else None
            if published is None:
                rejects.discard()
            document = reports.summary_document(ref, summary, published)
            ledger.finish(conn, ref, summary, document)
    except BaseException:
        chunks.close()
        rejects.discard()
        raise
    _record(ref, summary)
    _write_report(conn, client, ref, document)
    return summary


def _skip(
    conn: Connection[Any],
    client: S3Client,
    ref: ObjectRef,
    import_id: str,
    budget_ms: int,
    why: str,
) -> ImportSummary:
    # Nothing was read, so the event's fields are all there is to know the version by.
    if not ledger.claim(conn, ref, import_id, expiry_ms=budget_ms):
        return _taken(conn, client, ref, import_id)
    summary = ImportSummary(import_id, "skipped", error=why)
    ledger.finish(conn, ref, summary, None)
    _record(ref, summary)
    return summary


def _refuse(
    conn: Connection[Any], client: S3Client, ref: ObjectRef, summary: ImportSummary
) -> ImportSummary:
    """Record and report a failure found before any row was read; nothing to retry."""
    document = reports.summary_document(ref, summary, None)
    ledger.finish(conn, ref, summary, document)
    _record(ref, summary)
    _write_report(conn, client, ref, document)
    return summary


def _write_report(
    conn: Connection[Any], client: S3Client, ref: ObjectRef, document: dict[str, Any]
) -> None:
    # On a transient failure the delivery comes back, and _taken writes it then.
    try:
        reports.write_summary(client, ref, document)
    except TransientError:
        ledger.give_up_report(conn, ref)
        raise
    ledger.report_written(conn, ref)


def _load(
    conn: Connection[Any],
    chunks: Iterable[bytes],
    rejects: reports.RejectReport,
    import_id: str,
    batch_rows: int,
) -> ImportSummary:
    summary = ImportSummary(import_id, "completed")
    try:
        with conn.transaction():  # a savepoint: a bad file leaves nothing inserted
            _stage(conn, chunks, rejects, summary, batch_rows)
    except ImportFileError as exc:
        return ImportSummary(import_id, "failed", error=str(exc))
    summary.rejected = rejects.count
    summary.duplicates = summary.rows_read - summary.rejected - summary.inserted
    return summary


def _stage(
    conn: Connection[Any],
    chunks: Iterable[bytes],
    rejects: reports.RejectReport,
    summary: ImportSummary,
    batch_rows: int,
) -> None:
    from sample_event.services import loading
    from sample_event.services.csv_rows import open_csv

    header, records = open_csv(chunks)
    summary.ignored_columns = header.ignored
    summary.rows_read, summary.inserted = loading.load(conn, header, records, rejects, batch_rows)


def _taken(
    conn: Connection[Any], client: S3Client, ref: ObjectRef, import_id: str
) -> ImportSummary:
    status = ledger.status(conn, ref)
    document = ledger.unwritten_report(conn, ref)
    if document is not None:  # a finished import whose report write failed: finish the job
        _write_report(conn, client, ref, document)
    logger.info(
        "import skipped: this object version is already handled",
        extra={
            "import_id": import_id,
            "ledger_status": status,
            "report_rewritten": document is not None,
        },
    )
    return ImportSummary(import_id, "duplicate-delivery", error=f"ledger status: {status}")


def _record(ref: ObjectRef, summary: ImportSummary) -> None:
    """Log and count a committed outcome; a failure is logged and counted by the action."""
    from shared.metrics import MetricUnit, get_metrics

    metrics = get_metrics()
    metrics.add_metric(name="RowsImported", unit=MetricUnit.Count, value=summary.inserted)
    metrics.add_metric(name="RowsRejected", unit=MetricUnit.Count, value=summary.rejected)
    metrics.add_metric(name="RowsDuplicate", unit=MetricUnit.Count, value=summary.duplicates)
    metrics.add_metric(
        name="ImportDuration", unit=MetricUnit.Milliseconds, value=summary.duration_ms
    )
    logger.info(
        "import finished",
        extra={
            "import_id": summary.import_id,
            "bucket": ref.bucket,
            "key": ref.key,
            "status": summary.status,
            "rows_read": summary.rows_read,
            "inserted": summary.inserted,
            "duplicates": summary.duplicates,
            "rejected": summary.rejected,
            "duration_ms": summary.duration_ms,
            "error": summary.error,
        },
    )


def release(conn: Connection[Any], ref: ObjectRef, import_id: str, reason: str) -> None:
    """Give up our claim after a transient failure, so that the retry can run at once."""
    ledger.release(conn, ref, import_id, reason)
