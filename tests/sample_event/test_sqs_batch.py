"""Wrapped in SQS, a message whose import fails transiently is the only one handed back."""

from __future__ import annotations

from typing import Any

from tests.sample_event.conftest import s3_event, sqs_event


def test_batch_of_three_reports_exactly_the_failed_message(
    upload: Any, invoke: Any, ledger: Any, users: Any
) -> None:
    # GIVEN three messages; the second names a bucket S3 refuses to serve (it does not exist)
    first = upload("name,email\nAda,ada@example.com\n", "imports/first.csv")
    third = upload("name,email\nAlan,alan@example.com\n", "imports/third.csv")
    missing = s3_event("no-such-bucket-here", "imports/second.csv", "v1", "etag")
    event = sqs_event(first.s3_event(), missing, third.s3_event())
    failed_id = event["Records"][1]["messageId"]
    # WHEN the batch is handled
    result = invoke(event)
    # THEN only that message comes back, and the other two are imported
    assert result == {"batchItemFailures": [{"itemIdentifier": failed_id}]}
    assert users() == [("Ada", "ada@example.com"), ("Alan", "alan@example.com")]
    by_key = {row["object_key"]: row for row in ledger()}
    assert by_key["imports/first.csv"]["status"] == "completed"
    assert by_key["imports/third.csv"]["status"] == "completed"
    # The failed one claimed nothing (S3 named no version), so its redelivery imports at once.
    assert "imports/second.csv" not in by_key


def test_message_that_is_not_json_is_reported_failed(invoke: Any, ledger: Any) -> None:
    event = sqs_event({})
    event["Records"][0]["body"] = "not json"
    ok = sqs_event(s3_event("b", "imports/x.txt", None, "e"))["Records"][0]
    event["Records"].append(ok)
    result = invoke(event)
    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}
    assert ledger() == []
