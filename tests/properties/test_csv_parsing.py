"""Properties of the CSV reader alone: line endings, BOM and chunk boundaries change nothing."""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sample_event.errors import ImportFileError
from sample_event.services.csv_rows import open_csv
from tests.properties.profiles import scaled
from tests.properties.strategies import arbitrary_files

# Any text but line breaks (which a CRLF file would change inside quoted fields) and NUL.
_fields = st.text(st.characters(exclude_characters="\r\n\x00", exclude_categories=["Cs"]))
_rows = st.lists(st.lists(_fields, min_size=1, max_size=4), max_size=8)


def _parse(chunks: list[bytes]) -> Any:
    """What the reader makes of a stream: (header, records), or the error it raises."""
    try:
        header, records = open_csv(iter(chunks))
        return header, list(records)
    except ImportFileError as exc:
        return "error", str(exc)


def _write(rows: list[list[str]], lineterminator: str) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator=lineterminator)
    writer.writerow(["Email", "x", "NAME"])
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


@scaled(60)
@given(rows=_rows)
def test_lf_crlf_and_bom_read_the_same(rows: list[list[str]]) -> None:
    lf = _write(rows, "\n")
    variants = [
        lf,
        _write(rows, "\r\n"),
        b"\xef\xbb\xbf" + lf,
        b"\xef\xbb\xbf" + _write(rows, "\r\n"),
    ]
    results = [_parse([body]) for body in variants]
    assert all(result == results[0] for result in results[1:])
    assert results[0][0] != "error"


@scaled(150)
@given(
    body=st.one_of(arbitrary_files, _rows.map(lambda rows: _write(rows, "\r\n"))),
    cuts=st.lists(st.integers(0, 400), max_size=12),
)
def test_chunk_boundaries_change_nothing(body: bytes, cuts: list[int]) -> None:
    # Cuts anywhere: inside a multi-byte character, between CR and LF, in a BOM.
    bounds = [0, *sorted({cut for cut in cuts if cut < len(body)}), len(body)]
    chunks = [body[start:end] for start, end in itertools.pairwise(bounds)]
    assert _parse(chunks) == _parse([body])


@scaled(150)
@given(body=arbitrary_files)
def test_any_bytes_parse_or_raise_the_file_error(body: bytes) -> None:
    result = _parse([body])  # anything but ImportFileError escapes and fails the test
    if result[0] != "error":
        for line, fields in result[1]:
            assert line >= 2
            assert isinstance(fields, list)


_padding = st.sampled_from(["", " ", "  ", "\t", "\u3000", "\n"])
_cells = st.one_of(
    st.text(max_size=120),
    st.from_regex(r"[a-z.]{1,8}@[a-z.-]{1,12}", fullmatch=True),
    # Near the limits, where the fast path and the adapter could disagree: names of 95 to 105
    # characters or over 400 with padding, long local parts and labels, any case.
    st.builds(lambda pad, core: pad + core + pad, _padding, st.text(min_size=95, max_size=105)),
    st.builds(lambda pad, core: pad * 200 + core, _padding, st.text(min_size=1, max_size=3)),
    st.from_regex(
        r"[A-Za-z0-9.+_-]{1,70}@[A-Za-z0-9-]{1,70}(\.[A-Za-z]{2,4}){0,2}", fullmatch=True
    ),
)


@scaled(200)
@given(name=_cells, email=_cells)
def test_a_row_gets_the_verdict_and_message_post_users_gives(name: str, email: str) -> None:
    from pydantic import ValidationError

    from sample_event.services.validation import validate_row
    from shared.models import NewUser

    outcome = validate_row(name, email)
    try:
        user = NewUser.model_validate({"name": name, "email": email})
    except ValidationError as exc:
        messages = [str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()]
        assert isinstance(outcome, str)
        assert outcome == "; ".join(
            f"{e['loc'][0]}: {m}" for e, m in zip(exc.errors(), messages, strict=True)
        )
    else:
        assert outcome == (user.name, user.email)
