"""The recorder through its real entry point: what it records, skips and hands back."""

from __future__ import annotations

import json
from typing import Any

NO_FAILURES = {"batchItemFailures": []}


def test_an_uploaded_object_is_recorded_with_its_version_and_size(
    upload: Any, consume: Any, recorded: Any
) -> None:
    event = upload(b"reference,quantity\nREF-1,3\n")
    version = event_version(event)
    assert consume(event) == NO_FAILURES
    assert recorded() == [("incoming/sample.csv", version, 27)]


def test_a_redelivered_notification_records_the_object_once(
    upload: Any, consume: Any, recorded: Any
) -> None:
    event = upload(b"x")
    assert [consume(event), consume(event)] == [NO_FAILURES] * 2
    assert len(recorded()) == 1


def test_each_version_of_an_overwritten_object_is_recorded(
    upload: Any, consume: Any, recorded: Any
) -> None:
    first, second = upload(b"one"), upload(b"second")
    consume(first)
    consume(second)
    assert [size for _, _, size in recorded()] == [3, 6]


def test_an_object_deleted_before_its_notification_is_skipped_not_retried(
    upload: Any, consume: Any, recorded: Any, s3_client: Any
) -> None:
    # GIVEN an object whose version was deleted before the function ran
    event = upload(b"gone soon")
    bucket, key, version = event_object(event)
    s3_client.delete_object(Bucket=bucket, Key=key, VersionId=version)
    # WHEN its notification arrives THEN nothing is recorded, and nothing comes back
    assert consume(event) == NO_FAILURES
    assert recorded() == []


def test_a_message_that_is_no_s3_notification_is_dropped_and_logged_once(
    upload: Any, consume: Any, recorded: Any, function_log: Any
) -> None:
    event = upload(b"x")
    message = event["Records"][0]
    message["body"] = '{"hello": "world"}'
    assert consume(event) == NO_FAILURES
    assert recorded() == []
    errors = [line for line in function_log() if line["level"] == "ERROR"]
    assert [(e["message"], e["message_id"]) for e in errors] == [
        ("message dropped, not retried", message["messageId"])
    ]


def test_an_object_outside_incoming_is_ignored(upload: Any, consume: Any, recorded: Any) -> None:
    assert consume(upload(b"x", key="elsewhere/file.csv")) == NO_FAILURES
    assert recorded() == []


def test_a_notification_comes_back_while_the_database_is_down(
    upload: Any, consume: Any, recorded: Any, unreachable_database: None
) -> None:
    event = upload(b"x")
    failed = [{"itemIdentifier": event["Records"][0]["messageId"]}]
    assert consume(event) == {"batchItemFailures": failed}
    assert recorded() == []


def event_object(event: dict[str, Any]) -> tuple[str, str, str]:
    """(bucket, key, version id) of the object a sample notification names."""
    s3 = json.loads(event["Records"][0]["body"])["Records"][0]["s3"]
    return s3["bucket"]["name"], s3["object"]["key"], s3["object"]["versionId"]


def event_version(event: dict[str, Any]) -> str:
    return event_object(event)[2]
