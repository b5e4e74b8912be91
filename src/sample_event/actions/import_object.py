"""Use case: import the CSV object an S3 notification names."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import psycopg

from sample_event.aws import s3
from sample_event.errors import StorageUnavailableError
from sample_event.services import imports
from shared.db import get_connection
from shared.errors import AppError, DatabaseUnavailableError
from shared.log import get_logger

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from sample_event.models import ImportSummary, ObjectRef

logger = get_logger()
# Failures another delivery may not meet: the database or S3 away for a while.
_TRANSIENT = (psycopg.OperationalError, DatabaseUnavailableError, StorageUnavailableError)


def import_object(
    ref: ObjectRef,
    *,
    remaining_ms: int,
    conn: psycopg.Connection[Any] | None = None,
    client: S3Client | None = None,
) -> ImportSummary | None:
    """Import the object, or None when its key is not one to import. Transient failures raise."""
    if not imports.is_importable(ref.key):
        logger.info("key ignored: not a .csv under imports/", extra={"key": ref.key})
        return None
    import_id = str(uuid.uuid4())
    try:
        # Inside the try: a database down at cold start is logged and counted like the rest.
        conn = conn or get_connection()
        return imports.run_import(
            conn, client or s3.get_client(), ref, import_id=import_id, remaining_ms=remaining_ms
        )
    except psycopg.OperationalError as exc:
        _release(conn, ref, import_id, exc)
        raise DatabaseUnavailableError("the database failed during the import") from exc
    except Exception as exc:
        _release(conn, ref, import_id, exc)
        raise


def _release(
    conn: psycopg.Connection[Any] | None, ref: ObjectRef, import_id: str, exc: Exception
) -> None:
    # Without this, the retry Lambda makes would find our claim alive and import nothing
    # until it expires. If the database is gone too, the expiry does the same job later.
    error = type(exc).__name__
    try:
        if conn is not None:  # without a connection, no claim was taken
            if conn.broken or conn.closed:
                conn = get_connection()
            imports.release(conn, ref, import_id, f"retrying after {error}")
    except Exception:  # best effort: the original error is the one to raise
        logger.warning("could not release the import claim", extra={"import_id": import_id})
    from shared.metrics import MetricUnit, get_metrics

    get_metrics().add_metric(name="ImportsFailed", unit=MetricUnit.Count, value=1)
    # The one error log of this failure; the traceback is the runtime's (no CSV content in it).
    transient = isinstance(exc, _TRANSIENT)
    logger.error(
        "import failed, will be retried",
        extra={
            "import_id": import_id,
            "bucket": ref.bucket,
            "key": ref.key,
            "error": error,
            "s3_error": getattr(exc, "code", None),
            "failure": "transient" if transient else "unexpected",
            # Our errors say what failed in words; a driver's may name hosts or quote data.
            "reason": str(exc) if isinstance(exc, AppError) else error,
        },
    )
