"""Use case: record the object version a notification names, once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.db import get_connection
from shared.log import get_logger

from ..aws import s3
from ..errors import ObjectGoneError
from ..models import INCOMING_PREFIX
from ..services import objects

if TYPE_CHECKING:
    import psycopg
    from mypy_boto3_s3 import S3Client

    from ..models import ObjectRef

logger = get_logger()


def record_object(
    ref: ObjectRef,
    *,
    conn: psycopg.Connection[Any] | None = None,
    client: S3Client | None = None,
) -> str:
    """recorded, duplicate, ignored or gone; S3 or database failures raise (SQS retries)."""
    where = {"bucket": ref.bucket, "key": ref.key}
    if not ref.key.startswith(INCOMING_PREFIX):
        logger.info("key ignored: not under incoming/", extra=where)
        return "ignored"
    try:
        stored = s3.head(client or s3.get_client(), ref)
    except ObjectGoneError:
        logger.warning("object gone before it was recorded", extra=where)
        return "gone"
    conn = conn or get_connection()
    if not objects.record(conn, ref=ref, stored=stored):
        logger.info("object already recorded", extra=where)
        return "duplicate"
    logger.info("object recorded", extra={**where, "size": stored.size})
    return "recorded"
