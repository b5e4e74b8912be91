"""The CSV reader's line limit holds wherever the over-long line falls among the chunks."""

from __future__ import annotations

import pytest

from sample_event.errors import ImportFileError
from sample_event.services.csv_rows import MAX_LINE_CHARS, open_csv

HEAD = "name,email\nAda,ada@example.com\n"
# Many short fields: one long field would meet the csv module's own field limit first.
AT_LIMIT = "x," * (MAX_LINE_CHARS // 2 - 1) + "xx"


def _read(body: str, chunk_size: int) -> list[tuple[int, list[str]]]:
    data = body.encode()
    _, records = open_csv(data[i : i + chunk_size] for i in range(0, len(data), chunk_size))
    return list(records)


@pytest.mark.parametrize("chunk_size", [1 << 16, 1 << 20, 1 << 22])
@pytest.mark.parametrize("tail", ["", "\n", "\nAlan,alan@example.com\n"])
def test_a_line_one_character_over_the_limit_fails_the_file(chunk_size: int, tail: str) -> None:
    with pytest.raises(ImportFileError, match=f"longer than {MAX_LINE_CHARS} characters"):
        _read(HEAD + AT_LIMIT + "x" + tail, chunk_size)


@pytest.mark.parametrize("chunk_size", [1 << 16, 1 << 22])
def test_a_line_at_the_limit_is_read(chunk_size: int) -> None:
    records = _read(HEAD + AT_LIMIT + "\nAlan,alan@example.com\n", chunk_size)
    assert [line for line, _ in records] == [2, 3, 4]
    assert len(records[1][1]) == MAX_LINE_CHARS // 2
