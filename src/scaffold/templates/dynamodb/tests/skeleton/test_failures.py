"""A failing record is handed back alone, logged once, and writes nothing; an outage loses none."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from tests.skeleton.conftest import failures, sequence_number, stream_event

if TYPE_CHECKING:
    from tests.skeleton.conftest import StreamTable


def errors(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in log if line["level"] == "ERROR"]


def test_a_bad_record_is_handed_back_alone_and_a_later_change_of_its_key_still_applies(
    stream_table: StreamTable, mirror: Any, mirrored: Any, function_log: Any
) -> None:
    # GIVEN a batch where the second change of a key is bad and a third one fixes it
    stream_table.put("REF-1", 1)
    stream_table.put("REF-1", "lots")
    stream_table.put("REF-1", 2)
    stream_table.put("REF-2", 3)
    first, bad, fixed, other = stream_table.records()
    # WHEN the batch is handled THEN only the bad record comes back, and the others apply:
    # every record holds the whole item, so the newest one is the truth
    assert mirror(stream_event(first, bad, fixed, other)) == failures(bad)
    state = mirrored()
    assert [(reference, quantity) for reference, quantity, _, _ in state] == [
        ("REF-1", 2),
        ("REF-2", 3),
    ]
    # AND one error line says which record and why, without the value
    [line] = errors(function_log())
    assert (line["message"], line["sequence_number"]) == ("change rejected", sequence_number(bad))
    assert line["reason"].startswith("quantity: ")
    assert "lots" not in str(function_log())
    # AND WHEN Lambda retries from the bad record THEN it fails again, the rest are no-ops
    assert mirror(stream_event(bad, fixed, other)) == failures(bad)
    assert mirrored() == state


def test_database_down_every_record_comes_back_and_the_retry_loses_nothing(
    stream_table: StreamTable,
    mirror: Any,
    mirrored: Any,
    function_log: Any,
    unreachable_database: None,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shared.settings import get_settings

    stream_table.put("REF-1", 1)
    stream_table.put("REF-2", 2)
    stream_table.delete("REF-1")
    event = stream_event(*stream_table.records())
    # WHEN the batch comes with no database THEN it fails whole: Lambda retries every record
    with pytest.raises(BatchProcessingError):
        mirror(event)
    assert mirrored() == []
    # AND the first failure is logged; the records after it are not even tried
    [line] = errors(function_log())
    assert line["message"] == "database unavailable: this change and the later ones come back"
    # WHEN the database is back and Lambda retries THEN every change is there
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    assert mirror(event) == {"batchItemFailures": []}
    assert [(reference, quantity) for reference, quantity, _, _ in mirrored()] == [
        ("REF-1", None),
        ("REF-2", 2),
    ]
