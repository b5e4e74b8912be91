"""What a function's log line must never carry (passwords, DSNs, auth headers, emails), and
failures logged without their request or import id, or more than once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# What counts as our functions' output: Powertools Logger lines and EMF metric lines.
_LOG_KEYS = frozenset({"level", "message", "timestamp", "service"})

_FAILURE_LEVELS = frozenset({"WARNING", "ERROR", "CRITICAL"})

_PATTERNS = {
    "connection string": re.compile(r"postgres(?:ql)?://[^\s\"']", re.IGNORECASE),
    "password value": re.compile(
        r"(?:password|secret_?string)[\"']?\s*[=:]\s*(?![\"']{2}|null\b|None\b|[\s,}]|$)",
        re.IGNORECASE,
    ),
    "Authorization header": re.compile(
        r"authorization[\"']?\s*[=:]|\b(?:Bearer|Basic) [A-Za-z0-9+/=._-]{8,}", re.IGNORECASE
    ),
    "email address": re.compile(
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    ),
}


@dataclass(frozen=True)
class Leak:
    """One forbidden value in one function log line."""

    kind: str
    line: str


def function_record(line: str) -> dict[str, Any] | None:
    """The parsed line if one of our functions wrote it (Powertools log or EMF), else None."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    return record if _LOG_KEYS <= record.keys() or "_aws" in record else None


def leaks_in(line: str) -> list[Leak]:
    """Every kind of forbidden value found in a function log line; [] for any other line."""
    if function_record(line) is None:
        return []
    text = line.strip()
    return [Leak(kind, text) for kind, pattern in _PATTERNS.items() if pattern.search(text)]


def scan(text: str) -> list[Leak]:
    """The leaks in every line of a captured output, and its failures logged badly."""
    lines = text.splitlines()
    return [leak for line in lines for leak in leaks_in(line)] + failures_logged_badly(lines)


def failures_logged_badly(lines: list[str]) -> list[Leak]:
    """Error and warning lines without a request or import id, or twice for one failure."""
    found, seen = [], set()
    for line in lines:
        record = function_record(line)
        if record is None or record.get("level") not in _FAILURE_LEVELS:
            continue
        # One failure per request, or per item of a batch (an import, an SQS message).
        ids = (
            record.get("function_request_id"),
            record.get("import_id"),
            record.get("message_id"),
        )
        if ids[:2] == (None, None):
            found.append(Leak("failure logged without a request or import id", line.strip()))
        elif ids in seen:
            found.append(Leak("failure logged more than once", line.strip()))
        seen.add(ids)
    return found


def count_function_lines(text: str) -> int:
    """How many lines of a captured output our functions wrote."""
    return sum(function_record(line) is not None for line in text.splitlines())
