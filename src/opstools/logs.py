"""`make logs STAGE=…`: a stage's function and access logs, merged, one line per record.

ID= keeps one request or one import: the records that name it (API Gateway's request id is the
API's correlation id and the access log's requestId; an import id is in the importer's lines),
and every record of the Lambda invocations those records belong to (START, REPORT, a timeout,
a traceback), found by their Lambda request id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from opstools import cwlogs, render
from opstools.records import Record, parse

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from opstools.cwlogs import Event, Say
    from stackspec.deployed import LogGroup

_SINCE = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_ID = re.compile(r"[\w.:/+=-]+")


def since_ms(text: str, now: datetime | None = None) -> int:
    """`10m`, `2h`, `1d`, `30s` ago, or an ISO 8601 time (UTC unless it says), in epoch ms."""
    now = now or datetime.now(UTC)
    match = _SINCE.fullmatch(text.strip())
    if match:
        moment = now - timedelta(**{_UNITS[match[2]]: int(match[1])})
    else:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"SINCE={text}: give 10m, 2h, 1d or a time like 2026-01-15T10:00"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def checked_id(text: str) -> str:
    """A request or import id, refused when it could not be searched for as one term."""
    if not _ID.fullmatch(text):
        raise ValueError(f"ID={text!r}: an id is letters, digits and - _ . : / + =")
    return text


@dataclass
class Matcher:
    """Keeps the records of one id: those that name it, and those of the invocations that did."""

    wanted: str
    invocations: set[str] = field(default_factory=set)

    def admit(self, message: str, record: Record) -> bool:
        if self.wanted in message:
            if record.invocation:
                self.invocations.add(record.invocation)
            return True
        return record.invocation in self.invocations

    def select(self, pairs: list[tuple[Event, Record]]) -> list[Record]:
        """All at once: an invocation's START comes before the line that names the id."""
        for event, record in pairs:
            if self.wanted in event.message and record.invocation:
                self.invocations.add(record.invocation)
        return [record for event, record in pairs if self.admit(event.message, record)]


def read(
    logs: Any,
    groups: Mapping[str, LogGroup],
    *,
    start_ms: int,
    wanted: str | None,
    limit: int,
    say: Say,
) -> list[Record]:
    """The groups' records since start_ms (of one id when wanted), oldest first."""
    said: set[str] = set()

    def say_once(text: str) -> None:  # a missing group would be named by each search
        if text not in said:
            said.add(text)
            say(text)

    if wanted is None:
        events = cwlogs.filter_events(
            logs, groups, start_ms=start_ms, pattern="", limit=limit, say=say_once
        )
        return [_record(event, groups) for event in events]
    first = cwlogs.filter_events(
        logs, groups, start_ms=start_ms, pattern=cwlogs.quoted(wanted), limit=limit, say=say_once
    )
    pairs = [(event, _record(event, groups)) for event in first]
    invocations = {
        record.invocation
        for event, record in pairs
        if record.invocation and wanted in event.message
    }
    functions = [name for name, group in groups.items() if group.access_format is None]
    seen = {(event.group, event.event_id, event.timestamp, event.message) for event in first}
    for pattern in cwlogs.any_of(invocations):
        more = cwlogs.filter_events(
            logs, functions, start_ms=start_ms, pattern=pattern, limit=limit, say=say_once
        )
        for event in more:
            if (event.group, event.event_id, event.timestamp, event.message) not in seen:
                seen.add((event.group, event.event_id, event.timestamp, event.message))
                pairs.append((event, _record(event, groups)))
    pairs.sort(key=lambda pair: pair[0].timestamp)
    return Matcher(wanted).select(pairs)


def follow(
    logs: Any,
    groups: Mapping[str, LogGroup],
    *,
    wanted: str | None,
    out: Callable[[Record], None],
    say: Say,
    sessions: Callable[[Any, list[str], Say], Iterable[Event]] = cwlogs.live_tail,
) -> None:
    """Live Tail of the groups until Ctrl-C, a new session when one times out (3 hours)."""
    from botocore.exceptions import EventStreamError

    arns = cwlogs.group_arns(logs, groups, say)
    if not arns:
        raise ValueError("none of the stage's log groups exists: is it deployed?")
    if len(arns) > 10:
        raise ValueError("Live Tail follows at most 10 log groups: name one with FUNCTION=")
    matcher = Matcher(wanted) if wanted else None
    while True:
        try:
            for event in sessions(logs, list(arns.values()), say):
                record = _record(event, groups)
                if matcher is None or matcher.admit(event.message, record):
                    out(record)
        except EventStreamError as exc:
            if "SessionTimeoutException" not in str(exc):
                raise
            say("the Live Tail session timed out (3 hours): starting a new one")
            continue
        return


def print_records(records: Iterable[Record], width: int, out: Callable[[str], None]) -> int:
    count = 0
    for record in records:
        out(render.line(record, width))
        count += 1
    return count


def source_width(groups: Mapping[str, LogGroup]) -> int:
    return max((len(group.source) for group in groups.values()), default=12)


def _record(event: Event, groups: Mapping[str, LogGroup]) -> Record:
    group = groups.get(event.group)
    if group is None:
        return parse(event.message, event.timestamp, event.group)
    return parse(event.message, event.timestamp, group.source, group.access_fields() or None)
