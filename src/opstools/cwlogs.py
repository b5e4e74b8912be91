"""The CloudWatch Logs calls: FilterLogEvents over several groups, and a Live Tail session.

Every function takes the `logs` client as a parameter, so that moto's server can stand in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    Say = Callable[[str], None]

# A filter pattern holds at most 1024 characters: 20 quoted request ids fit with room to spare.
IDS_PER_PATTERN = 20


@dataclass(frozen=True)
class Event:
    """One log event and the group it came from."""

    group: str
    timestamp: int  # milliseconds since the epoch
    message: str
    event_id: str = ""


def quoted(term: str) -> str:
    """A filter pattern matching events that contain the term as written (hyphens and all)."""
    if '"' in term:
        raise ValueError(f"a search term cannot hold a double quote: {term!r}")
    return f'"{term}"'


def any_of(terms: Iterable[str]) -> list[str]:
    """Filter patterns (`?"a" ?"b"`) that together match events containing any of the terms."""
    ordered = sorted(set(terms))
    chunks = [ordered[i : i + IDS_PER_PATTERN] for i in range(0, len(ordered), IDS_PER_PATTERN)]
    return [" ".join(f"?{quoted(term)}" for term in chunk) for chunk in chunks]


def filter_events(
    logs: Any, groups: Iterable[str], *, start_ms: int, pattern: str, limit: int, say: Say
) -> list[Event]:
    """The groups' events since start_ms that match the pattern, oldest first.

    A group that does not exist (a stack not deployed) is named and skipped; a group with more
    than `limit` matching events gives its first `limit` and says so.
    """
    found: list[Event] = []
    for group in groups:
        pages = logs.get_paginator("filter_log_events").paginate(
            logGroupName=group, startTime=start_ms, filterPattern=pattern
        )
        count = 0
        try:
            for page in pages:
                for event in page.get("events", []):
                    found.append(
                        Event(group, event["timestamp"], event["message"], event.get("eventId", ""))
                    )
                    count += 1
                if count >= limit:
                    say(f"{group}: {limit} events or more, the first shown; narrow SINCE= or ID=")
                    break
        except logs.exceptions.ResourceNotFoundException:
            say(f"{group}: no such log group (not deployed, or nothing logged yet)")
    return sorted(found, key=lambda event: event.timestamp)


def group_arns(logs: Any, names: Iterable[str], say: Say) -> dict[str, str]:
    """Each existing group's ARN (Live Tail takes ARNs, without the trailing `:*`)."""
    arns = {}
    for name in names:
        groups = logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
        match = next((g for g in groups if g["logGroupName"] == name), None)
        if match is None:
            say(f"{name}: no such log group (not deployed, or nothing logged yet)")
            continue
        arns[name] = match.get("logGroupArn") or str(match["arn"]).removesuffix(":*")
    return arns


def group_name(identifier: str) -> str:
    """The group's name from a Live Tail identifier: an ARN, or `<account>:<name>`."""
    if ":log-group:" in identifier:
        return identifier.split(":log-group:", 1)[1].removesuffix(":*")
    account, sep, name = identifier.partition(":")
    return name if sep and account.isdigit() else identifier


def live_tail(logs: Any, arns: list[str], say: Say) -> Iterator[Event]:
    """The events of a Live Tail session as they arrive, until it ends; closed on exit."""
    response = logs.start_live_tail(logGroupIdentifiers=arns)
    stream = response["responseStream"]
    try:
        yield from session_events(stream, say)
    finally:
        stream.close()


def session_events(stream: Iterable[dict[str, Any]], say: Say) -> Iterator[Event]:
    """The log events of a Live Tail response stream's updates."""
    for item in stream:
        if "sessionStart" in item:
            start = item["sessionStart"]
            say(f"live tail of {len(start.get('logGroupIdentifiers', []))} group(s); Ctrl-C stops")
        update = item.get("sessionUpdate")
        if not update:
            continue
        if update.get("sessionMetadata", {}).get("sampled"):
            say("(more than 500 events a second: Live Tail shows a sample)")
        for result in update.get("sessionResults", []):
            yield Event(
                group_name(result["logGroupIdentifier"]), result["timestamp"], result["message"]
            )
