"""Changes from the real moto stream reach PostgreSQL: in order per key, replays change nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from tests.sample_stream.conftest import (
    item,
    sequence_number,
    stream_event,
    with_sequence_number,
)

if TYPE_CHECKING:
    import psycopg
    from tests.sample_stream.conftest import StreamTable

NO_FAILURES = {"batchItemFailures": []}


def test_insert_and_modify_mirror_the_item_as_it_now_is(
    stream_table: StreamTable, mirror: Any, profiles: Any
) -> None:
    # GIVEN an item written, then changed, in DynamoDB
    stream_table.put(item("ada@example.com", "Ada", locale="en", opt_ins=("b", "a")))
    stream_table.put(item("ada@example.com", "Ada King", expires_at=1798761600))
    insert, modify = stream_table.records()
    # WHEN the stream's batch is handled
    assert mirror(stream_event(insert, modify)) == NO_FAILURES
    # THEN the row is the item's latest image, at the latest sequence number
    [row] = profiles()
    assert row["display_name"] == "Ada King"
    assert (row["locale"], row["opt_ins"]) == (None, [])  # the new image no longer has them
    assert row["expires_at"] == datetime(2027, 1, 1, tzinfo=UTC)
    assert row["sequence_number"] == sequence_number(modify)
    assert row["deleted_at"] is None


def test_string_sets_are_stored_sorted(
    stream_table: StreamTable, mirror: Any, profiles: Any
) -> None:
    stream_table.put(item("ada@example.com", opt_ins=("product_updates", "newsletter")))
    assert mirror(stream_event(*stream_table.records())) == NO_FAILURES
    assert profiles()[0]["opt_ins"] == ["newsletter", "product_updates"]


def test_remove_leaves_a_tombstone_at_its_sequence_number(
    stream_table: StreamTable, mirror: Any, profiles: Any
) -> None:
    stream_table.put(item("ada@example.com", "Ada", locale="en", opt_ins=("news",)))
    stream_table.delete("ada@example.com")
    insert, remove = stream_table.records()
    assert mirror(stream_event(insert, remove)) == NO_FAILURES
    [row] = profiles()
    assert (row["display_name"], row["locale"], row["opt_ins"]) == (None, None, [])
    assert row["deletion"] == "removed"
    created = remove["dynamodb"]["ApproximateCreationDateTime"]
    assert row["deleted_at"] == datetime.fromtimestamp(created, UTC)
    assert row["sequence_number"] == sequence_number(remove)


def test_a_ttl_expiry_is_a_deletion_recorded_as_expired(
    stream_table: StreamTable, mirror: Any, profiles: Any
) -> None:
    # GIVEN a REMOVE as DynamoDB's TTL makes it (moto does not expire items: the identity
    # DynamoDB adds to such a record is added here)
    stream_table.put(item("ada@example.com", expires_at=1767225600))
    stream_table.delete("ada@example.com")
    insert, remove = stream_table.records()
    remove["userIdentity"] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    # WHEN
    assert mirror(stream_event(insert, remove)) == NO_FAILURES
    # THEN
    [row] = profiles()
    assert (row["deletion"], row["display_name"]) == ("expired", None)


def test_a_whole_batch_delivered_twice_leaves_the_same_state(
    stream_table: StreamTable, mirror: Any, profiles: Any
) -> None:
    # GIVEN a batch with every kind of change, over two keys
    stream_table.put(item("ada@example.com", "Ada"))
    stream_table.put(item("alan@example.com", "Alan"))
    stream_table.put(item("ada@example.com", "Ada King"))
    stream_table.delete("alan@example.com")
    event = stream_event(*stream_table.records())
    assert mirror(event) == NO_FAILURES
    once = profiles()
    # WHEN Lambda delivers it again THEN nothing changes
    assert mirror(event) == NO_FAILURES
    assert profiles() == once
    assert [(row["email"], row["display_name"]) for row in once] == [
        ("ada@example.com", "Ada King"),
        ("alan@example.com", None),
    ]


def test_an_older_record_after_a_newer_one_changes_nothing(
    stream_table: StreamTable, mirror: Any, profiles: Any
) -> None:
    stream_table.put(item("ada@example.com", "Ada"))
    stream_table.put(item("ada@example.com", "Ada King"))
    insert, modify = stream_table.records()
    assert mirror(stream_event(modify)) == NO_FAILURES
    assert mirror(stream_event(insert)) == NO_FAILURES
    [row] = profiles()
    assert (row["display_name"], row["sequence_number"]) == ("Ada King", sequence_number(modify))


@pytest.mark.parametrize(
    "deliveries",
    [
        # a replayed insert does not resurrect a removed profile
        pytest.param([("insert", "remove"), ("insert",)], id="insert-replayed-after-remove"),
        # a remove arriving first still wins over its older insert: a tombstone is written
        # even for a key the mirror never saw, for this case
        pytest.param([("remove",), ("insert",)], id="remove-before-its-insert"),
    ],
)
def test_a_removed_profile_stays_removed_whatever_order_the_records_come_in(
    stream_table: StreamTable, mirror: Any, profiles: Any, deliveries: list[tuple[str, ...]]
) -> None:
    stream_table.put(item("ada@example.com", "Ada"))
    stream_table.delete("ada@example.com")
    insert, remove = stream_table.records()
    records = {"insert": insert, "remove": remove}
    for batch in deliveries:
        assert mirror(stream_event(*(records[name] for name in batch))) == NO_FAILURES
    [row] = profiles()
    assert (row["display_name"], row["deletion"]) == (None, "removed")


def test_sequence_numbers_compare_as_numbers_not_as_text(
    stream_table: StreamTable, mirror: Any, profiles: Any
) -> None:
    # GIVEN two changes whose sequence numbers differ in length ("99" < "100" as numbers, but
    # not as text): DynamoDB's grow over time, from 21 digits up to 40
    stream_table.put(item("ada@example.com", "Ada"))
    stream_table.put(item("ada@example.com", "Ada King"))
    insert, modify = stream_table.records()
    older, newer = with_sequence_number(insert, "99"), with_sequence_number(modify, "100")
    # WHEN the newer one is applied first
    assert mirror(stream_event(newer)) == NO_FAILURES
    assert mirror(stream_event(older)) == NO_FAILURES
    # THEN the older one changed nothing
    [row] = profiles()
    assert (row["display_name"], row["sequence_number"]) == ("Ada King", "100")


def test_profiles_join_users_ignoring_the_case_of_the_email(
    stream_table: StreamTable, mirror: Any, db: psycopg.Connection[Any]
) -> None:
    db.execute("INSERT INTO users (name, email) VALUES ('Ada', 'Ada@Example.com')")
    stream_table.put(item("ada@example.com", "Ada King", locale="en-GB"))
    stream_table.put(item("gone@example.com", "Gone"))
    stream_table.delete("gone@example.com")
    assert mirror(stream_event(*stream_table.records())) == NO_FAILURES
    rows = db.execute(
        "SELECT u.name, p.display_name, p.locale FROM users u"
        " JOIN profiles p ON lower(p.email) = lower(u.email) AND p.deleted_at IS NULL"
    ).fetchall()
    assert rows == [("Ada", "Ada King", "en-GB")]
