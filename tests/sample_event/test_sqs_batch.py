"""Wrapped in SQS, a failed message is the only one handed back, and its log line says why."""

from __future__ import annotations

from typing import Any

import pytest

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


def _errors(function_log: Any) -> list[dict[str, Any]]:
    return [record for record in function_log() if record["level"] == "ERROR"]


def test_each_failed_message_is_logged_once_at_error_with_its_id_object_and_reason(
    upload: Any, invoke: Any, function_log: Any
) -> None:
    # GIVEN a good message, one whose body is not JSON, one whose bucket S3 refuses to serve
    good = upload("name,email\nAda,ada@example.com\n", "imports/good.csv")
    missing = s3_event("no-such-bucket-here", "imports/second.csv", "v1", "etag")
    event = sqs_event(good.s3_event(), {}, missing)
    event["Records"][1]["body"] = "not json"
    not_json, refused = (record["messageId"] for record in event["Records"][1:])
    # WHEN the batch is handled
    result = invoke(event)
    # THEN the two failures come back, and each has one error line saying why
    assert result == {
        "batchItemFailures": [{"itemIdentifier": not_json}, {"itemIdentifier": refused}]
    }
    by_message = {}
    for record in _errors(function_log):
        assert record["message_id"] not in by_message, "logged twice"
        by_message[record["message_id"]] = record
    assert set(by_message) == {not_json, refused}
    assert (by_message[not_json]["failure"], by_message[not_json]["reason"]) == (
        "permanent",
        "the message is not JSON",
    )
    line = by_message[refused]
    assert (line["failure"], line["bucket"], line["key"], line["s3_error"]) == (
        "transient",
        "no-such-bucket-here",
        "imports/second.csv",
        "NoSuchBucket",
    )
    assert "NoSuchBucket" in line["reason"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[1, 2]", "the message is not a JSON object"),
        ('{"Records": [{"eventSource": "aws:sqs"}]}', "unsupported record source 'aws:sqs'"),
        ('{"Records": [{"eventSource": "aws:s3"}]}', "KeyError"),
    ],
)
def test_message_no_retry_can_help_is_logged_as_permanent(
    invoke: Any, function_log: Any, body: str, reason: str
) -> None:
    # (with a message that succeeds: when every message fails, Powertools raises instead)
    event = sqs_event({}, s3_event("b", "imports/ignored.txt", None, "e"))
    event["Records"][0]["body"] = body
    assert invoke(event) == {
        "batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]
    }
    [line] = _errors(function_log)
    assert (line["failure"], line["reason"]) == ("permanent", reason)


def test_import_failure_line_names_the_object_and_the_s3_error(
    invoke: Any, function_log: Any
) -> None:
    from sample_event.errors import StorageUnavailableError

    with pytest.raises(StorageUnavailableError):
        invoke(s3_event("no-such-bucket-here", "imports/x.csv", None, "etag"))
    [line] = _errors(function_log)
    assert line["message"] == "import failed, will be retried"
    assert (line["bucket"], line["key"], line["s3_error"], line["failure"]) == (
        "no-such-bucket-here",
        "imports/x.csv",
        "NoSuchBucket",
        "transient",
    )
    assert line["import_id"]


def test_message_that_is_not_json_is_reported_failed(invoke: Any, ledger: Any) -> None:
    event = sqs_event({})
    event["Records"][0]["body"] = "not json"
    ok = sqs_event(s3_event("b", "imports/x.txt", None, "e"))["Records"][0]
    event["Records"].append(ok)
    result = invoke(event)
    assert result == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}
    assert ledger() == []
