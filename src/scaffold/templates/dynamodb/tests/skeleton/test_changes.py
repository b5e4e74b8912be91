"""Changes from moto's real stream reach PostgreSQL: the newest change of a key wins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import stackspec
from stackspec.events import cases
from tests.skeleton.conftest import sequence_number, stream_event

if TYPE_CHECKING:
    from tests.skeleton.conftest import StreamTable

NO_FAILURES: dict[str, Any] = {"batchItemFailures": []}


def test_insert_and_modify_mirror_the_item_as_it_now_is(
    stream_table: StreamTable, mirror: Any, mirrored: Any
) -> None:
    stream_table.put("REF-1", 3)
    stream_table.put("REF-1", 5)
    insert, modify = stream_table.records()
    assert mirror(stream_event(insert, modify)) == NO_FAILURES
    assert mirrored() == [("REF-1", 5, sequence_number(modify), False)]


def test_a_removed_item_stays_removed_when_its_insert_is_replayed(
    stream_table: StreamTable, mirror: Any, mirrored: Any
) -> None:
    # GIVEN an item written then deleted, both applied
    stream_table.put("REF-1", 3)
    stream_table.delete("REF-1")
    insert, remove = stream_table.records()
    assert mirror(stream_event(insert, remove)) == NO_FAILURES
    # WHEN the insert comes again THEN the tombstone's newer sequence number keeps it out
    assert mirror(stream_event(insert)) == NO_FAILURES
    assert mirrored() == [("REF-1", None, sequence_number(remove), True)]


def test_a_whole_batch_delivered_twice_leaves_the_same_state(
    stream_table: StreamTable, mirror: Any, mirrored: Any
) -> None:
    stream_table.put("REF-1", 1)
    stream_table.put("REF-2", 2)
    stream_table.put("REF-1", 3)
    stream_table.delete("REF-2")
    event = stream_event(*stream_table.records())
    assert mirror(event) == NO_FAILURES
    once = mirrored()
    assert mirror(event) == NO_FAILURES
    assert mirrored() == once
    assert [(reference, quantity) for reference, quantity, _, _ in once] == [
        ("REF-1", 3),
        ("REF-2", None),
    ]


def test_an_older_record_after_a_newer_one_changes_nothing_numbers_compared_as_numbers(
    stream_table: StreamTable, mirror: Any, mirrored: Any
) -> None:
    # "99" < "100" as numbers, not as text: DynamoDB's sequence numbers grow in length.
    stream_table.put("REF-1", 1)
    stream_table.put("REF-1", 2)
    older, newer = stream_table.records()
    older["dynamodb"]["SequenceNumber"], newer["dynamodb"]["SequenceNumber"] = "99", "100"
    assert mirror(stream_event(newer)) == NO_FAILURES
    assert mirror(stream_event(older)) == NO_FAILURES
    assert mirrored() == [("REF-1", 2, "100", False)]


def test_the_sample_events_answer_as_their_expectations_say(mirror: Any, mirrored: Any) -> None:
    for case in cases(stackspec.function("skeleton")):
        assert case.mismatch(mirror(case.event)) is None, case.name
    # the item inserted, modified and removed is a tombstone; the poison's neighbour applied
    assert [(reference, quantity) for reference, quantity, _, _ in mirrored()] == [
        ("REF-1001", None),
        ("REF-1003", 1),
    ]
