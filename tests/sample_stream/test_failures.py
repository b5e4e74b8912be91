"""A failing record is reported alone, logged once, writes nothing; a database outage loses none."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from tests.sample_stream.conftest import item, sequence_number, stream_event
from tests.security.leaks import scan

if TYPE_CHECKING:
    import psycopg
    from tests.sample_stream.conftest import StreamTable


def failures(*records: dict[str, Any]) -> dict[str, Any]:
    return {"batchItemFailures": [{"itemIdentifier": sequence_number(r)} for r in records]}


def errors(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in log if line["level"] == "ERROR"]


def test_a_failing_record_is_reported_alone_and_a_later_change_of_its_key_still_applies(
    stream_table: StreamTable, mirror: Any, profiles: Any
) -> None:
    # GIVEN a batch where the second change of a key is bad and a third one fixes it
    stream_table.put(item("ada@example.com", "Ada"))
    stream_table.put(item("ada@example.com", display_name=42))  # N where a string belongs
    stream_table.put(item("ada@example.com", "Ada King"))
    stream_table.put(item("alan@example.com", "Alan"))
    first, bad, fixed, other = stream_table.records()
    # WHEN the batch is handled
    assert mirror(stream_event(first, bad, fixed, other)) == failures(bad)
    # THEN the changes after the bad one are applied: every record holds the whole item, so
    # the newest one is the truth whatever happens to an older one
    state = profiles()
    assert [(row["email"], row["display_name"]) for row in state] == [
        ("ada@example.com", "Ada King"),
        ("alan@example.com", "Alan"),
    ]
    # AND WHEN Lambda retries from the failed record, as it does THEN it fails again, and the
    # records after it, already applied, are no-ops
    assert mirror(stream_event(bad, fixed, other)) == failures(bad)
    assert profiles() == state


@pytest.mark.parametrize(
    ("attributes", "reason"),
    [
        (item("not-an-email"), "email: is not a valid email address"),
        (item("ada@example.com", display_name=42), "display_name: Input should be a valid string"),
        (item("ada@example.com", display_name=None), "display_name: Field required"),
        (item("ada@example.com", locale="english please"), "locale: String should match pattern"),
        (
            {**item("ada@example.com"), "opt_ins": {"S": "news"}},
            "opt_ins: Input should be a valid list",
        ),
        (
            {**item("ada@example.com"), "expires_at": {"S": "tomorrow"}},
            "expires_at: must be a whole number (N) of seconds since the epoch",
        ),
    ],
    ids=["email", "display_name-type", "display_name-missing", "locale", "opt_ins", "expires_at"],
)
def test_a_bad_image_is_reported_logged_once_with_its_reason_and_writes_nothing(
    stream_table: StreamTable,
    mirror: Any,
    profiles: Any,
    function_log: Any,
    attributes: dict[str, Any],
    reason: str,
) -> None:
    # GIVEN an item the mirror can never apply, beside a good one
    stream_table.put(attributes)
    stream_table.put(item("alan@example.com", "Alan"))
    bad, good = stream_table.records()
    # WHEN
    assert mirror(stream_event(bad, good)) == failures(bad)
    # THEN nothing of it is written, and one error line says which record and why
    assert [row["email"] for row in profiles()] == ["alan@example.com"]
    [line] = errors(function_log())
    assert line["message"] == "change rejected"
    assert line["sequence_number"] == sequence_number(bad)
    assert line["reason"].startswith(reason)


def test_a_rejected_change_logs_no_profile_data(
    stream_table: StreamTable, mirror: Any, function_log: Any
) -> None:
    # GIVEN a batch of bad images only
    stream_table.put(item("ada.lovelace@example.com", display_name=1815, locale="en"))
    stream_table.put(item("bad email@example.com", "Ada"))
    # WHEN handled THEN every record failed: the invocation fails (the runtime logs the error)
    with pytest.raises(BatchProcessingError) as raised:
        mirror(stream_event(*stream_table.records()))
    # AND neither the function's lines nor the error the runtime logs carry the profiles
    lines = function_log()
    assert len(errors(lines)) == 2
    for text in (json.dumps(lines), str(raised.value)):
        assert "@" not in text and "1815" not in text and "Ada" not in text
    assert scan("\n".join(json.dumps(line) for line in lines)) == []


def test_a_failure_no_rule_foresaw_is_reported_without_its_message(
    stream_table: StreamTable, mirror: Any, db: psycopg.Connection[Any], function_log: Any
) -> None:
    # GIVEN a database rule the model does not know: its violation quotes the row
    db.execute("ALTER TABLE profiles ADD CONSTRAINT no_ada CHECK (display_name <> 'Ada')")
    try:
        stream_table.put(item("ada@example.com", "Ada"))
        [record] = stream_table.records()
        # WHEN
        with pytest.raises(BatchProcessingError) as result:
            mirror(stream_event(record))
    finally:
        db.execute("ALTER TABLE profiles DROP CONSTRAINT no_ada")
    # THEN it fails (the only record: the whole batch), logged by kind, nothing quoted
    [line] = errors(function_log())
    assert (line["message"], line["reason"]) == ("change failed", "CheckViolation 23514")
    assert "ada@example.com" not in str(result.value)
    assert db.execute("SELECT count(*) FROM profiles").fetchone() == (0,)


def test_database_down_every_record_comes_back_and_the_retry_loses_nothing(
    stream_table: StreamTable,
    mirror: Any,
    profiles: Any,
    function_log: Any,
    fresh_function_connection: None,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    from shared.settings import get_settings

    stream_table.put(item("ada@example.com", "Ada"))
    stream_table.put(item("alan@example.com", "Alan"))
    stream_table.delete("ada@example.com")
    event = stream_event(*stream_table.records())
    # GIVEN no database where the function connects
    monkeypatch.setenv("DATABASE_URL", f"postgresql://app@/postgres?host={tmp_path}")
    get_settings.cache_clear()
    # WHEN the batch comes THEN the invocation fails as a whole: Lambda retries every record
    with pytest.raises(BatchProcessingError):
        mirror(event)
    assert profiles() == []
    # AND the first failure is logged, the records after it are not even tried
    [line] = errors(function_log())
    assert line["message"] == "database unavailable: this change and the later ones come back"
    # WHEN the database is back and Lambda retries THEN every change is there
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    assert mirror(event) == {"batchItemFailures": []}
    assert [(row["email"], row["deletion"]) for row in profiles()] == [
        ("ada@example.com", "removed"),
        ("alan@example.com", None),
    ]


def test_database_failing_mid_batch_returns_that_record_and_every_later_one(
    stream_table: StreamTable,
    mirror: Any,
    profiles: Any,
    function_log: Any,
    fresh_function_connection: None,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import psycopg

    from shared.settings import get_settings

    for email in ("ada@example.com", "alan@example.com", "edsger@example.com"):
        stream_table.put(item(email, "Someone"))
    first, second, third = stream_table.records()
    # GIVEN another session inserting the second change's key, uncommitted: the function's
    # write of that key waits for it, past its statement timeout
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "300")
    get_settings.cache_clear()
    with psycopg.connect(database_url) as other:
        other.execute(
            "INSERT INTO profiles (email, display_name, sequence_number, changed_at)"
            " VALUES ('alan@example.com', 'Other', 1, now())"
        )
        # WHEN the batch is handled
        result = mirror(stream_event(first, second, third))
        other.rollback()
    # THEN the first change is in; the second and the third, not even tried, come back
    assert result == failures(second, third)
    assert [row["email"] for row in profiles()] == ["ada@example.com"]
    [line] = errors(function_log())
    assert (line["sequence_number"], line["reason"]) == (
        sequence_number(second),
        "the database failed while applying a change",
    )
    # AND the retry from the second one completes the batch
    assert mirror(stream_event(second, third)) == {"batchItemFailures": []}
    assert len(profiles()) == 3
