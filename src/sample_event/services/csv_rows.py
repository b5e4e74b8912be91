"""Streaming CSV reading: byte chunks in, (line, fields) records out, with bounded memory.

The chunks are decoded incrementally and split on LF only (CRLF keeps its CR, which the csv
module drops), so that quoted fields keep their embedded newlines and no line is ever held
whole in memory beyond MAX_LINE_CHARS. Each chunk's complete lines go to the csv module as
one io.StringIO, whose iteration splits them in C: half the cost of a Python loop per line.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sample_event.errors import ImportFileError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

# One physical line longer than this is not a CSV of users (csv's own field limit is 128 KiB).
MAX_LINE_CHARS = 1 << 20
REQUIRED_COLUMNS = ("name", "email")


@dataclass(frozen=True, slots=True)
class Header:
    """Where the columns are, and which ones the import ignores."""

    name_index: int
    email_index: int
    width: int
    ignored: list[str]


def open_csv(chunks: Iterable[bytes]) -> tuple[Header, Iterator[tuple[int, list[str]]]]:
    """Read the header; returns it with the remaining records as (first line, fields)."""
    records = _records(_lines(chunks))
    for _line, fields in records:
        return _header(fields), records
    raise ImportFileError("the file is empty: expected a header row with name and email")


def _header(fields: list[str]) -> Header:
    names = [field.strip().lower() for field in fields]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if len(missing) == len(REQUIRED_COLUMNS):
        raise ImportFileError("no header row: the first row must name the columns name and email")
    if missing:
        raise ImportFileError(f"the header has no {missing[0]} column")
    for column in REQUIRED_COLUMNS:
        if names.count(column) > 1:
            raise ImportFileError(f"the header names the {column} column twice")
    ignored = [
        field for field, name in zip(fields, names, strict=True) if name not in REQUIRED_COLUMNS
    ]
    return Header(names.index("name"), names.index("email"), len(fields), ignored)


def _records(lines: Iterator[str]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, strict=True)
    previous_end = 0
    try:
        for fields in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if any(map(str.strip, fields)):  # blank lines and ",,," rows are skipped
                yield start, fields
    except csv.Error as exc:
        reason = str(exc)
        if "unexpected end of data" in reason:
            reason = "a quoted field is never closed"
        raise ImportFileError(f"line {previous_end + 1}: not valid CSV: {reason}") from None


def _lines(chunks: Iterable[bytes]) -> Iterator[str]:
    return itertools.chain.from_iterable(_blocks(chunks))


def _blocks(chunks: Iterable[bytes]) -> Iterator[io.StringIO]:
    """Each chunk's complete lines as one StringIO that yields them (LF only ends a line)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    offset, pending = 0, ""
    for chunk in chunks:
        text = pending + _decode(decoder, chunk, offset)
        offset += len(chunk)
        cut = text.rfind("\n") + 1
        pending = text[cut:]
        # Every line, not only the unfinished one: the verdict must not depend on chunking.
        if len(pending) > MAX_LINE_CHARS or _has_long_line(text, cut):
            raise ImportFileError(f"a line is longer than {MAX_LINE_CHARS} characters")
        if cut:
            yield io.StringIO(text[:cut], newline="\n")
    pending += _decode(decoder, b"", offset, final=True)
    if pending:
        yield io.StringIO(pending, newline="\n")


def _has_long_line(text: str, end: int) -> bool:
    """Whether a line of text[:end] (LF-terminated lines) is longer than MAX_LINE_CHARS."""
    start = 0
    while end - start > MAX_LINE_CHARS:  # a window of MAX_LINE_CHARS + 1 must hold a LF
        newline = text.rfind("\n", start, start + MAX_LINE_CHARS + 1)
        if newline < 0:
            return True
        start = newline + 1
    return False


def _decode(
    decoder: codecs.IncrementalDecoder, chunk: bytes, offset: int, *, final: bool = False
) -> str:
    buffered = decoder.getstate()[0]  # the start of a character split by the previous chunk
    try:
        text = decoder.decode(chunk, final)
    except UnicodeDecodeError:
        raise _first_bad_byte(buffered + chunk, offset - len(buffered), final=final) from None
    if "\x00" in text:
        raise ImportFileError("binary content: the file contains NUL bytes")
    return text


def _first_bad_byte(data: bytes, data_offset: int, *, final: bool) -> ImportFileError:
    """The error of the first bad byte, whichever chunk it arrived in (a NUL counts too)."""
    try:
        codecs.utf_8_decode(data, "strict", final)
    except UnicodeDecodeError as exc:
        if b"\x00" in data[: exc.start]:
            return ImportFileError("binary content: the file contains NUL bytes")
        return ImportFileError(f"not UTF-8: invalid byte at offset {data_offset + exc.start}")
    return ImportFileError("not UTF-8")  # unreachable: the same bytes failed just before
