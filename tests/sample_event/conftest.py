"""Fixtures of the importer's tests: upload an object, build its event, invoke, read the state."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

import pytest

from tests.fixtures.events import load_event

if TYPE_CHECKING:
    from collections.abc import Callable

    import psycopg
    from mypy_boto3_s3 import S3Client


@dataclass(frozen=True)
class Uploaded:
    """An object put into the test's bucket, as its notification would name it."""

    bucket: str
    key: str
    version_id: str | None
    etag: str

    def s3_event(self) -> dict[str, Any]:
        """A direct S3 ObjectCreated notification for this object (key URL-encoded, as S3 does)."""
        return s3_event(self.bucket, self.key, self.version_id, self.etag)


def s3_event(bucket: str, key: str, version_id: str | None, etag: str) -> dict[str, Any]:
    event = load_event("s3_object_created")
    record = event["Records"][0]["s3"]
    record["bucket"]["name"] = bucket
    record["bucket"]["arn"] = f"arn:aws:s3:::{bucket}"
    record["object"].update(key=quote_plus(key, safe="/"), eTag=etag)
    if version_id is not None:
        record["object"]["versionId"] = version_id
    return event


def sqs_event(*payloads: dict[str, Any]) -> dict[str, Any]:
    """An SQS batch, one message per payload (the shape Lambda's event source mapping sends)."""
    template = load_event("sqs_s3_object_created")["Records"][0]
    records = [
        {**template, "messageId": str(uuid.uuid4()), "body": json.dumps(payload)}
        for payload in payloads
    ]
    return {"Records": records}


@pytest.fixture
def upload(s3_client: S3Client, bucket: str) -> Callable[..., Uploaded]:
    """Put bytes under a key (in the test's versioned bucket unless another is given)."""

    def put(body: bytes | str, key: str = "imports/users.csv", *, into: str = bucket) -> Uploaded:
        data = body.encode("utf-8") if isinstance(body, str) else body
        response = s3_client.put_object(Bucket=into, Key=key, Body=data)
        return Uploaded(into, key, response.get("VersionId"), response["ETag"].strip('"'))

    return put


@pytest.fixture
def unversioned_bucket(s3_client: S3Client) -> str:
    """A new bucket without versioning: objects are read by ETag."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    return name


@pytest.fixture
def invoke(
    db: psycopg.Connection[Any], s3_endpoint: str, lambda_context: Any
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Call the real entry point with an event, as Lambda would."""
    from sample_event.index import handler

    def call(event: dict[str, Any], timeout_seconds: float = 60.0) -> dict[str, Any]:
        return handler(event, lambda_context("sample_event", timeout_seconds))

    return call


@pytest.fixture
def users(db: psycopg.Connection[Any]) -> Callable[[], list[tuple[str, str]]]:
    """The users table as (name, email), in email order."""
    return lambda: db.execute("SELECT name, email FROM users ORDER BY lower(email)").fetchall()


@pytest.fixture
def ledger(db: psycopg.Connection[Any]) -> Callable[[], list[dict[str, Any]]]:
    """The import ledger's rows, with whether an in-progress claim is still alive."""
    from psycopg.rows import dict_row

    def rows() -> list[dict[str, Any]]:
        with db.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(
                "SELECT object_key, object_version, status, attempts, rows_read, inserted,"
                " duplicates, rejected, error, claimed_until > now() AS claim_alive"
                " FROM imports ORDER BY started_at"
            ).fetchall()

    return rows


@pytest.fixture
def report(s3_client: S3Client) -> Callable[..., Any]:
    """Read a report: parsed JSON for the summary, the list of rows for the rejected CSV."""

    def read(bucket: str, key: str) -> Any:
        body = s3_client.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
        if key.endswith(".json"):
            return json.loads(body)
        return list(csv.reader(io.StringIO(body, newline="")))

    return read
