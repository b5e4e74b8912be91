"""A record as one line: time, source, level, message, details, then the ids to search for."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opstools.records import Record

MAX_VALUE = 200  # characters of one detail's value: a line stays a line


def line(record: Record, source_width: int = 12) -> str:
    """`2026-01-15 10:00:00.812 sample_api START   version $LATEST  lambda=7c9e…`."""
    time = record.time.strftime("%Y-%m-%d %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
    return f"{time} {record.source:<{source_width}} {body(record)}"


def body(record: Record) -> str:
    """The line without time and source: level, message, details and ids."""
    parts = [f"{record.level:<7}", _flat(record.message)]
    parts += [f"{key}={_value(value)}" for key, value in record.details.items()]
    ids = (
        ("request", record.request_id),
        ("lambda", record.invocation),
        ("import", record.import_id),
    )
    tail = " ".join(f"{name}={value}" for name, value in ids if value)
    text = " ".join(part for part in parts if part)
    return f"{text}  {tail}" if tail else text.rstrip()


def _value(value: Any) -> str:
    text = (
        value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), default=str)
    )
    text = _flat(text)
    if len(text) > MAX_VALUE:
        text = text[: MAX_VALUE - 1] + "…"
    return json.dumps(text, ensure_ascii=False) if (" " in text or not text) else text


def _flat(text: str) -> str:
    """No line breaks or tabs: one record, one line."""
    return " ".join(text.split())
