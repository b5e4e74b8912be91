"""Fixtures of the property tests: run the real import service on bytes, read the state back."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from mypy_boto3_s3 import S3Client

    from sample_event.models import ImportSummary, ObjectRef


class Importer:
    """Uploads bytes as a new object and imports it with run_import, as the function would."""

    def __init__(self, conn: psycopg.Connection[Any], client: S3Client, bucket: str) -> None:
        self.conn, self.client, self.bucket = conn, client, bucket

    def reset(self) -> None:
        """An empty users table and ledger: each hypothesis example starts from nothing."""
        self.conn.execute("TRUNCATE users, imports RESTART IDENTITY")

    def upload(self, body: bytes, key: str | None = None) -> ObjectRef:
        from sample_event.models import ObjectRef

        key = key or f"imports/{uuid.uuid4().hex}.csv"
        put = self.client.put_object(Bucket=self.bucket, Key=key, Body=body)
        return ObjectRef(self.bucket, key, put.get("VersionId"), put["ETag"].strip('"'))

    def run(self, ref: ObjectRef, **options: Any) -> ImportSummary:
        from sample_event.services.imports import run_import

        import_id = str(uuid.uuid4())
        return run_import(
            self.conn, self.client, ref, import_id=import_id, remaining_ms=60_000, **options
        )

    def users(self) -> list[tuple[str, str]]:
        return self.conn.execute("SELECT name, email FROM users ORDER BY id").fetchall()

    def report(self, ref: ObjectRef) -> dict[str, Any] | None:
        import json

        from sample_event.services.reports import report_key

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=report_key(ref.key, ".json"))
        except self.client.exceptions.NoSuchKey:
            return None
        document: dict[str, Any] = json.loads(body["Body"].read())
        return document


@pytest.fixture
def importer(
    database_url: str, s3_client: S3Client, bucket: str, db: psycopg.Connection[Any]
) -> Iterator[Importer]:
    """The importer on a connection like the function's own (autocommit, transactions inside)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield Importer(conn, s3_client, bucket)


@pytest.fixture
def expected_users() -> Callable[[list[tuple[str, str]]], list[tuple[str, str]]]:
    """What a list of valid users becomes: names trimmed, the first of each email kept."""

    def expect(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
        seen: set[str] = set()
        kept = []
        for name, email in rows:
            if email.lower() not in seen:
                seen.add(email.lower())
                kept.append((name.strip(), email))
        return kept

    return expect
