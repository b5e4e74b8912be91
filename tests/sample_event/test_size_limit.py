"""An object larger than the invocation can import is refused: failed, reported, not retried."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pytest

ROW = "User {0:05d},user{0:05d}@example.com\n"
ROW_BYTES = len(ROW.format(0))  # 33; the header is 11


def _body(rows: int) -> str:
    return "name,email\n" + "".join(ROW.format(i) for i in range(rows))


def _run(db: Any, s3_client: Any, obj: Any, **options: Any) -> Any:
    from sample_event.models import ObjectRef
    from sample_event.services.imports import run_import

    ref = ObjectRef(obj.bucket, obj.key, obj.version_id, obj.etag)
    return run_import(db, s3_client, ref, import_id=str(uuid.uuid4()), **options)


def test_object_over_the_limit_is_failed_with_the_limit_named_and_never_retried(
    upload: Any, db: Any, s3_client: Any, users: Any, ledger: Any, report: Any
) -> None:
    # GIVEN 1,000 bytes/s and 4 s left: a limit of 3,000 bytes, and a file of 3,311 bytes
    obj = upload(_body(100))
    # WHEN it is imported
    summary = _run(db, s3_client, obj, remaining_ms=4000, bytes_per_second=1000)
    # THEN it fails before reading a row, saying how large it is and what the limit is
    assert summary.status == "failed"
    assert summary.error.startswith("the object is 3,311 bytes: over the limit of 3,000 bytes")
    assert "4 s it has left, at 1,000 bytes/s" in summary.error
    assert users() == []
    [row] = ledger()
    assert (row["status"], row["error"], row["rows_read"], row["claim_alive"]) == (
        "failed",
        summary.error,
        0,
        None,
    )
    assert report(obj.bucket, "reports/users.csv.json")["error"] == summary.error
    # AND a re-delivery finds it done: no retry, no import
    again = _run(db, s3_client, obj, remaining_ms=60_000, bytes_per_second=1000)
    assert again.status == "duplicate-delivery"
    assert [row["attempts"] for row in ledger()] == [1]


def test_object_within_the_limit_imports(upload: Any, db: Any, s3_client: Any, ledger: Any) -> None:
    obj = upload(_body(100))
    summary = _run(db, s3_client, obj, remaining_ms=60_000, bytes_per_second=1000)
    assert (summary.status, summary.inserted) == ("completed", 100)


def test_handler_limits_by_the_memory_lambda_gives_it_and_the_time_left(
    upload: Any,
    invoke: Any,
    users: Any,
    ledger: Any,
    fresh_function_connection: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sample_event.services import limits

    # GIVEN the smallest Lambda (128 MB) with 3 s to run, and a file just over what that allows
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
    rate = int(limits.BYTES_PER_VCPU_SECOND * 128 / limits.MB_PER_VCPU)
    rows = int(rate * 3 * limits.HEADROOM) // ROW_BYTES + 1
    obj = upload(_body(rows))
    # WHEN the notification arrives
    result = invoke(obj.s3_event(), timeout_seconds=3.0)
    # THEN the file is refused as too large, and nothing of it is imported
    assert result["imports"][0]["status"] == "failed"
    [row] = ledger()
    assert row["error"].startswith(f"the object is {11 + ROW_BYTES * rows:,} bytes: over the limit")
    assert f"at {rate:,} bytes/s" in row["error"]
    assert users() == []
