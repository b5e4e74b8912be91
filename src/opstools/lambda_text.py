"""The Lambda runtime's text lines (text log format): START, END, REPORT, INIT_START,
INIT_REPORT, a timeout, the Python runtime's own `[LEVEL]` lines, and tracebacks.

Each becomes a level, a short message and the invocation's request id when the line has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_START = re.compile(r"START RequestId: (?P<id>\S+)(?: Version: (?P<version>\S+))?")
_END = re.compile(r"END RequestId: (?P<id>\S+)")
_REPORT = re.compile(r"REPORT RequestId: (?P<id>\S+)")
_TIMEOUT = re.compile(r"\S+Z (?P<id>[0-9a-f-]{36}) (?P<message>Task timed out after .*)")
_RUNTIME = re.compile(r"\[(?P<level>[A-Z]+)\]\t\S*\t(?P<id>[^\t]*)\t(?P<message>.*)", re.DOTALL)
_FRAME = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)')
_NOT_THE_ERROR = ("Traceback", "During handling", "The above exception")
_CODE_ROOTS = ("/var/task/", "/opt/python/", "/var/lang/lib/")


@dataclass(frozen=True)
class Line:
    """What a text line says."""

    level: str
    message: str
    invocation: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """A REPORT line's figures (milliseconds and megabytes)."""

    request_id: str
    duration_ms: float
    billed_ms: float | None
    memory_mb: int | None
    max_used_mb: int | None
    init_ms: float | None
    status: str | None  # timeout, error ...; None when the invocation ended normally

    def summary(self) -> str:
        """`18.42 ms (billed 19 ms), 96/512 MB, init 812.35 ms`."""
        parts = [f"{_ms(self.duration_ms)} ms"]
        if self.billed_ms is not None:
            parts[0] += f" (billed {_ms(self.billed_ms)} ms)"
        if self.max_used_mb is not None and self.memory_mb is not None:
            parts.append(f"{self.max_used_mb}/{self.memory_mb} MB")
        if self.init_ms is not None:
            parts.append(f"init {_ms(self.init_ms)} ms")
        if self.status:
            parts.append(f"status {self.status}")
        return ", ".join(parts)


def parse(message: str) -> Line:
    """The line's level, message and request id; an unknown line is its first line, level `-`."""
    text = message.strip("\n")
    report = parse_report(text)
    if report is not None:
        return Line("REPORT", report.summary(), report.request_id)
    if match := _START.match(text):
        version = match["version"]
        return Line("START", f"version {version}" if version else "", match["id"])
    if match := _END.match(text):
        return Line("END", "", match["id"])
    if text.startswith(("INIT_START", "INIT_REPORT", "EXTENSION", "TELEMETRY")):
        kind, _, rest = text.partition(" ")
        return Line("INIT", _fields_text(rest) if kind != "INIT_START" else _runtime(rest))
    if match := _TIMEOUT.match(text):
        return Line("ERROR", match["message"], match["id"])
    if match := _RUNTIME.match(text):
        return Line(match["level"], _condensed(match["message"]), match["id"] or None)
    if text.startswith("[ERROR]") or "Traceback (most recent call last)" in text:
        return Line("ERROR", condense_traceback(text.removeprefix("[ERROR]").strip()))
    if text.startswith("LAMBDA_WARNING:"):
        return Line("WARNING", text.split(". ", 1)[0].removeprefix("LAMBDA_WARNING: "))
    return Line("-", _condensed(text))


def parse_report(text: str) -> Report | None:
    """A REPORT line's figures, or None when the text is not one."""
    match = _REPORT.match(text)
    if match is None:
        return None
    first = text.splitlines()[0]
    values = dict(_pairs(first.split("\t")[1:]))

    def number(name: str) -> float | None:
        raw = values.get(name)
        return float(raw.split()[0]) if raw else None

    def megabytes(name: str) -> int | None:
        raw = number(name)
        return None if raw is None else int(raw)

    status = values.get("Status")
    if status and values.get("Error Type"):
        status += f" ({values['Error Type']})"
    return Report(
        match["id"],
        number("Duration") or 0.0,
        number("Billed Duration"),
        megabytes("Memory Size"),
        megabytes("Max Memory Used"),
        number("Init Duration"),
        status,
    )


def condense_traceback(text: str) -> str:
    """`KeyError: 'x' (at sample_api/daos/users.py:58 in page)`: the error, where it was raised."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    frames = [m for line in lines if (m := _FRAME.search(line))]
    errors = [
        line for line in lines if not line[0].isspace() and not line.startswith(_NOT_THE_ERROR)
    ]
    # The runtime puts the error first and no error line after the frames; Python, last.
    error = errors[-1] if errors else lines[0]
    if not frames:
        return error.strip()
    last = frames[-1]
    path = last["path"]
    for root in _CODE_ROOTS:
        path = path.removeprefix(root)
    return f"{error.strip()} (at {path}:{last['line']} in {last['function']})"


def _condensed(text: str) -> str:
    """A multi-line message in one line: a traceback as its error, anything else its first line."""
    if "Traceback (most recent call last)" in text:
        head = text.split("Traceback (most recent call last)", 1)[0].strip()
        error = condense_traceback(text)
        return f"{head}: {error}" if head and not error.startswith(head) else error
    lines = text.strip().splitlines() or [""]
    more = f" (+{len(lines) - 1} lines)" if len(lines) > 1 else ""
    return lines[0].strip() + more


def _ms(value: float) -> str:
    """As the REPORT line writes it: 10010.42, 19."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _pairs(parts: list[str]) -> list[tuple[str, str]]:
    found = []
    for part in parts:
        name, sep, value = part.partition(": ")
        if sep:
            found.append((name.strip(), value.strip()))
    return found


def _fields_text(rest: str) -> str:
    """`Init Duration: 412.18 ms<TAB>Phase: init` -> `Init Duration 412.18 ms, Phase init`."""
    pairs = _pairs(rest.split("\t"))
    return ", ".join(f"{name} {value}" for name, value in pairs) or rest.strip()


def _runtime(rest: str) -> str:
    """INIT_START: the runtime version; its ARN says nothing more to a reader."""
    pairs = dict(_pairs(rest.split("\t")))
    version = pairs.get("Runtime Version")
    return f"runtime {version}" if version else rest.strip()
