"""Use case: import the CSV object an S3 notification names."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from sample_event.aws import s3
from sample_event.services import imports
from shared.db import database_errors, get_connection
from shared.errors import AppError, DatabaseUnavailableError, TransientError
from shared.log import get_logger

if TYPE_CHECKING:
    import psycopg
    from mypy_boto3_s3 import S3Client

    from sample_event.models import ImportSummary, ObjectRef

logger = get_logger()


def import_object(
    ref: ObjectRef,
    *,
    remaining_ms: int,
    conn: psycopg.Connection[Any] | None = None,
    client: S3Client | None = None,
) -> ImportSummary | None:
    """Import the object, or None when its key is not one to import. Failures raise, to be retried.

    Raises the kinds of shared/errors.py: TransientError when the database or S3 failed.
    """
    if not imports.is_importable(ref.key):
        logger.info("key ignored: not a .csv under imports/", extra={"key": ref.key})
        return None
    import_id = str(uuid.uuid4())
    try:
        # Inside the try: a database down at cold start is logged and counted like the rest.
        with database_errors():
            conn = conn or get_connection()
            summary = imports.run_import(
                conn, client or s3.get_client(), ref, import_id=import_id, remaining_ms=remaining_ms
            )
    except Exception as exc:
        _release(conn, ref, import_id, exc)
        raise
    if summary.status == "failed":  # the file is at fault: recorded and reported, not retried
        _count_failure()
        logger.warning(
            "import failed: the file cannot be imported, see its report",
            extra={"import_id": import_id, "key": ref.key, "error": summary.error},
        )
    return summary


def _release(
    conn: psycopg.Connection[Any] | None, ref: ObjectRef, import_id: str, exc: Exception
) -> None:
    # Without this, the retry Lambda makes would find our claim alive and import nothing
    # until it expires. If the database is gone too, the expiry does the same job later.
    error = type(exc).__name__
    try:
        if conn is not None:  # without a connection, no claim was taken
            _release_claim(conn, ref, import_id, f"retrying after {error}")
    except Exception:  # best effort: the original error is the one to raise
        logger.warning("could not release the import claim", extra={"import_id": import_id})
    _count_failure()
    # The one error log of this failure; the traceback is the runtime's (no CSV content in it).
    logger.error(
        "import failed, will be retried",
        extra={
            "import_id": import_id,
            "bucket": ref.bucket,
            "key": ref.key,
            "error": error,
            "s3_error": getattr(exc, "code", None),
            "failure": "transient" if isinstance(exc, TransientError) else "unexpected",
            # Our errors say what failed in words; a driver's may name hosts or quote data.
            "reason": str(exc) if isinstance(exc, AppError) else error,
        },
    )


def _release_claim(
    conn: psycopg.Connection[Any], ref: ObjectRef, import_id: str, reason: str
) -> None:
    # A session ended mid-COPY is not always marked broken: it can still be waiting for the
    # end of its COPY ("another command is already in progress"). Closed, it gives way to a
    # new session, which get_connection() opens.
    if not (conn.broken or conn.closed):
        try:
            with database_errors():
                imports.release(conn, ref, import_id, reason)
            return
        except DatabaseUnavailableError:
            conn.close()
    imports.release(get_connection(), ref, import_id, reason)


def _count_failure() -> None:
    # Here only, once per delivery, next to the delivery's one failure log line: a file
    # recorded as failed, or a run that raised (a failed file whose report then failed too).
    from shared.metrics import MetricUnit, get_metrics

    get_metrics().add_metric(name="ImportsFailed", unit=MetricUnit.Count, value=1)
