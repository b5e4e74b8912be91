"""The JSON report is written after COMMIT; a failed write is retried from the ledger's copy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sample_event.errors import StorageUnavailableError

BODY = "name,email\nAda,ada@example.com\nAlan,alan@example.com\nAda again,ADA@example.com\n"


def _deny_reports(s3_client: Any, bucket: str) -> None:
    # A real refusal by the S3 API: moto's server enforces bucket policies.
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{bucket}/reports/*",
    }
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    s3_client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


def _report_versions(s3_client: Any, bucket: str) -> list[dict[str, Any]]:
    listed = s3_client.list_object_versions(Bucket=bucket, Prefix="reports/")
    return list(listed.get("Versions", []))


def test_report_write_refused_after_commit_is_rewritten_by_the_retry(
    upload: Any, invoke: Any, users: Any, db: Any, s3_client: Any, report: Any
) -> None:
    # GIVEN a bucket whose reports/ prefix refuses writes
    obj = upload(BODY)
    _deny_reports(s3_client, obj.bucket)
    # WHEN the import runs, THEN it raises (so the delivery is retried) after committing
    with pytest.raises(StorageUnavailableError):
        invoke(obj.s3_event())
    assert users() == [("Ada", "ada@example.com"), ("Alan", "alan@example.com")]
    row = db.execute(
        "SELECT status, inserted, report IS NOT NULL, report_written_at FROM imports"
    ).fetchone()
    assert row == ("completed", 2, True, None)
    assert _report_versions(s3_client, obj.bucket) == []
    # WHEN S3 accepts writes again and the delivery comes back
    s3_client.delete_bucket_policy(Bucket=obj.bucket)
    result = invoke(obj.s3_event())
    # THEN nothing is imported again, and the report is the first run's, from the ledger
    assert result["imports"][0]["status"] == "duplicate-delivery"
    assert users() == [("Ada", "ada@example.com"), ("Alan", "alan@example.com")]
    summary = report(obj.bucket, "reports/users.csv.json")
    assert (summary["status"], summary["rows_read"], summary["inserted"]) == ("completed", 3, 2)
    assert summary["duplicates"] == 1
    [(import_id, written)] = db.execute("SELECT import_id::text, report_written_at FROM imports")
    assert (summary["import_id"], written is not None) == (import_id, True)
    # AND a further delivery leaves the written report alone
    invoke(obj.s3_event())
    assert len(_report_versions(s3_client, obj.bucket)) == 1


def test_clean_import_marks_its_report_written(
    upload: Any, invoke: Any, db: Any, s3_client: Any
) -> None:
    obj = upload(BODY)
    invoke(obj.s3_event())
    invoke(obj.s3_event())
    [(written,)] = db.execute("SELECT report_written_at IS NOT NULL FROM imports")
    assert written
    assert len(_report_versions(s3_client, obj.bucket)) == 1


def test_redelivery_between_commit_and_report_leaves_the_write_to_the_committing_run(
    upload: Any, invoke: Any, db: Any, s3_client: Any
) -> None:
    # GIVEN an import that committed and is about to write its report (its run still owns it)
    obj = upload(BODY)
    _deny_reports(s3_client, obj.bucket)
    with pytest.raises(StorageUnavailableError):
        invoke(obj.s3_event())
    s3_client.delete_bucket_policy(Bucket=obj.bucket)
    db.execute("UPDATE imports SET report_owned_until = now() + interval '1 minute'")
    # WHEN the same event is delivered again inside that window
    result = invoke(obj.s3_event())
    # THEN it imports nothing and writes no second report; the committing run writes it
    assert result["imports"][0]["status"] == "duplicate-delivery"
    assert _report_versions(s3_client, obj.bucket) == []
    # AND once the run's ownership lapses, a delivery writes the report from the ledger
    db.execute("UPDATE imports SET report_owned_until = now() - interval '1 second'")
    invoke(obj.s3_event())
    assert len(_report_versions(s3_client, obj.bucket)) == 1
