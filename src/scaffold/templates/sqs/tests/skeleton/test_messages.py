"""The consumer through its real entry point: what it records, rejects and hands back."""

from __future__ import annotations

from typing import Any

from tests.skeleton.conftest import batch, body


def test_a_message_is_recorded_once_even_when_delivered_twice(consume: Any, received: Any) -> None:
    event = batch(body(reference="REF-7", quantity=2))
    message_id = event["Records"][0]["messageId"]
    assert consume(event) == {"batchItemFailures": []}
    assert consume(event) == {"batchItemFailures": []}
    assert received() == [(message_id, "accepted", "REF-7", 2, None)]


def test_a_body_that_is_not_json_is_kept_as_rejected_logged_once_and_not_retried(
    consume: Any, received: Any, function_log: Any
) -> None:
    # GIVEN a message that no retry can fix, delivered twice
    event = batch("not json")
    message_id = event["Records"][0]["messageId"]
    # WHEN handled
    results = [consume(event), consume(event)]
    # THEN it is not handed back, it is kept with why, and one error line names it
    assert results == [{"batchItemFailures": []}] * 2
    reason = "the body is not valid JSON"
    assert received() == [(message_id, "rejected", None, None, reason)]
    errors = [line for line in function_log() if line["level"] == "ERROR"]
    assert [(e["message"], e["message_id"], e["reason"]) for e in errors] == [
        ("message rejected, not retried", message_id, reason)
    ]
    assert all("not json" not in str(line) for line in function_log())


def test_a_message_with_an_invalid_field_is_rejected_naming_the_field(
    consume: Any, received: Any
) -> None:
    consume(batch(body(quantity=0)))
    ((_, status, _, _, reason),) = received()
    assert status == "rejected"
    assert reason.startswith("quantity: ")


def test_a_rejected_message_does_not_hold_back_the_others_of_its_batch(
    consume: Any, received: Any
) -> None:
    event = batch(body(reference="REF-1"), body(unknown="field"), body(reference="REF-3"))
    assert consume(event) == {"batchItemFailures": []}
    assert [row[1:3] for row in received()].count(("accepted", "REF-1")) == 1
    assert sorted(row[1] for row in received()) == ["accepted", "accepted", "rejected"]


def test_messages_come_back_as_batch_failures_while_the_database_is_down(
    consume: Any, received: Any, unreachable_database: None
) -> None:
    event = batch(body(reference="REF-1"), "not json")
    ids = [record["messageId"] for record in event["Records"]]
    result = consume(event)
    # Even the rejection needs the database, to keep the message: both come back later.
    assert result == {"batchItemFailures": [{"itemIdentifier": i} for i in ids]}
    assert received() == []
