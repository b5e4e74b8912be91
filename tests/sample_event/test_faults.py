"""Transient failures raise and leave no trace; a vanished object is skipped, not retried."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest

from shared.errors import DatabaseUnavailableError

BODY = "name,email\n" + "".join(f"User {i},user{i}@example.com\n" for i in range(20_000))


def _terminate_during_copy(database_url: str, stop: threading.Event) -> list[int]:
    """Kill the importing session as soon as it is streaming rows (COPY)."""
    killed: list[int] = []
    with psycopg.connect(database_url, autocommit=True) as admin:
        while not stop.is_set() and not killed:
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND state = 'active' AND query LIKE 'COPY %'"
            ).fetchone()
            if row is not None:
                admin.execute("SELECT pg_terminate_backend(%s)", [row[0]])
                killed.append(row[0])
            time.sleep(0.002)
    return killed


def test_connection_lost_mid_import_raises_and_the_retry_completes(
    upload: Any, invoke: Any, db: Any, ledger: Any, database_url: str, s3_client: Any
) -> None:
    # GIVEN an import whose database session is terminated while it streams rows
    obj = upload(BODY)
    stop = threading.Event()
    killed: list[int] = []
    killer = threading.Thread(
        target=lambda: killed.extend(_terminate_during_copy(database_url, stop))
    )
    killer.start()
    try:
        # WHEN the handler runs, THEN it raises so that Lambda retries
        with pytest.raises(DatabaseUnavailableError):
            invoke(obj.s3_event())
    finally:
        stop.set()
        killer.join()
    assert killed, "the import finished before its session could be terminated"
    # AND no row of that run is visible, and its claim is released for the retry
    assert db.execute("SELECT count(*) FROM users").fetchone() == (0,)
    [row] = ledger()
    assert (row["status"], row["claim_alive"]) == ("in_progress", False)
    assert "retrying after" in row["error"]
    listed = s3_client.list_objects_v2(Bucket=obj.bucket, Prefix="reports/")
    assert listed.get("KeyCount", 0) == 0
    # WHEN Lambda retries, THEN the final state is that of one clean run
    assert invoke(obj.s3_event())["imports"][0]["status"] == "completed"
    assert db.execute("SELECT count(*), count(DISTINCT email) FROM users").fetchone() == (
        20_000,
        20_000,
    )
    [row] = ledger()
    assert (row["status"], row["attempts"], row["inserted"], row["duplicates"]) == (
        "completed",
        2,
        20_000,
        0,
    )


def test_database_unreachable_raises(
    upload: Any,
    invoke: Any,
    fresh_function_connection: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
    s3_client: Any,
    ledger: Any,
) -> None:
    obj = upload(BODY)
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@/postgres?host={tmp_path}")
    with pytest.raises(DatabaseUnavailableError):
        invoke(obj.s3_event())
    assert s3_client.list_objects_v2(Bucket=obj.bucket, Prefix="reports/").get("KeyCount") == 0
    assert ledger() == []  # the test's own connection still reaches the real database


def test_s3_unreachable_raises_before_claiming_anything(
    upload: Any, db: Any, ledger: Any, users: Any
) -> None:
    import boto3
    from botocore.config import Config

    from sample_event.actions.import_object import import_object
    from sample_event.errors import StorageUnavailableError
    from sample_event.models import ObjectRef

    obj = upload(BODY)
    # An S3 client aimed at a port where nothing listens: the request cannot be made.
    dead = boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    ref = ObjectRef(obj.bucket, obj.key, obj.version_id, obj.etag)
    with pytest.raises(StorageUnavailableError):
        import_object(ref, remaining_ms=30_000, conn=db, client=dead)
    # The ledger knows an object by the version S3 answered: nothing read, nothing claimed,
    # so the retry imports at once.
    assert users() == []
    assert ledger() == []


def test_object_deleted_before_processing_is_skipped(
    upload: Any, invoke: Any, s3_client: Any, ledger: Any, users: Any
) -> None:
    obj = upload(BODY)
    s3_client.delete_object(Bucket=obj.bucket, Key=obj.key, VersionId=obj.version_id)
    result = invoke(obj.s3_event())
    assert result["imports"][0]["status"] == "skipped"
    assert users() == []
    [row] = ledger()
    assert (row["status"], row["claim_alive"]) == ("skipped", None)
    assert "NoSuchVersion" in row["error"]
    # And a re-delivery does not try again
    assert invoke(obj.s3_event())["imports"][0]["status"] == "duplicate-delivery"


@pytest.mark.parametrize("change", ["deleted", "overwritten"])
def test_unversioned_object_gone_or_replaced_is_skipped(
    change: str,
    upload: Any,
    unversioned_bucket: str,
    invoke: Any,
    s3_client: Any,
    ledger: Any,
    users: Any,
) -> None:
    obj = upload(BODY, into=unversioned_bucket)
    if change == "deleted":
        s3_client.delete_object(Bucket=obj.bucket, Key=obj.key)
    else:  # the newer content has its own event; this one must not import it
        upload("name,email\nOther,other@example.com\n", into=unversioned_bucket)
    assert invoke(obj.s3_event())["imports"][0]["status"] == "skipped"
    assert users() == []
    assert [r["status"] for r in ledger()] == ["skipped"]


def test_a_multipart_report_s3_refuses_is_a_transient_error(s3_client: Any) -> None:
    from sample_event.aws.s3 import StreamingUpload
    from sample_event.errors import StorageUnavailableError
    from shared.errors import TransientError

    # GIVEN a report large enough for multipart, to a bucket S3 does not have
    upload = StreamingUpload(s3_client, "no-such-bucket-here", "reports/x.rejected.csv", "text/csv")
    # WHEN its first part is sent, THEN the caller sees the import's transient kind, not botocore's
    with pytest.raises(StorageUnavailableError) as raised:
        upload.write(b"x" * (8 << 20))
    assert isinstance(raised.value, TransientError)
