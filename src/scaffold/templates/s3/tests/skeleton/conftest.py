"""Upload objects to moto's S3, build their notifications, call the real entry point."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

import pytest

from tests.fixtures.events import load_event

if TYPE_CHECKING:
    from collections.abc import Callable

    import psycopg
    from mypy_boto3_s3 import S3Client

_ROWS = "SELECT object_key, object_version, size FROM skeleton ORDER BY recorded_at"


def notification(bucket: str, key: str, *, version_id: str | None, etag: str) -> dict[str, Any]:
    """The function's sample event naming another object: one SQS message, a new id."""
    event = load_event("skeleton_object_created")
    message = event["Records"][0]
    body = json.loads(message["body"])
    s3 = body["Records"][0]["s3"]
    s3["bucket"].update(name=bucket, arn=f"arn:aws:s3:::{bucket}")
    s3["object"].update(key=quote_plus(key, safe="/"), eTag=etag)
    if version_id is not None:
        s3["object"]["versionId"] = version_id
    message.update(messageId=str(uuid.uuid4()), body=json.dumps(body))
    return event


@pytest.fixture
def upload(s3_client: S3Client, bucket: str) -> Callable[..., dict[str, Any]]:
    """Put bytes under a key of the test's versioned bucket; returns its notification."""

    def put(data: bytes, key: str = "incoming/sample.csv") -> dict[str, Any]:
        found = s3_client.put_object(Bucket=bucket, Key=key, Body=data)
        etag = found["ETag"].strip('"')
        return notification(bucket, key, version_id=found.get("VersionId"), etag=etag)

    return put


@pytest.fixture
def consume(
    db: psycopg.Connection[Any], s3_endpoint: str, lambda_context: Any
) -> Callable[..., Any]:
    """Hand a batch to the handler, as the event source mapping does; `db` empties the table."""
    from skeleton.index import handler

    return lambda event: handler(event, lambda_context("skeleton"))


@pytest.fixture
def recorded(db: psycopg.Connection[Any]) -> Callable[[], list[tuple[Any, ...]]]:
    """The table's rows: (object_key, object_version, size)."""
    return lambda: db.execute(_ROWS).fetchall()
