"""The time an EventBridge Scheduled Event was scheduled for; any other event is refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .errors import InvalidEventError


def scheduled_time(event: dict[str, Any]) -> datetime:
    """The event's `time` (UTC, to the second, as EventBridge sends it)."""
    if event.get("detail-type") != "Scheduled Event":
        raise InvalidEventError("expected an EventBridge Scheduled Event")
    try:
        when = datetime.fromisoformat(str(event["time"]))
    except (KeyError, ValueError):
        raise InvalidEventError("the event has no valid time") from None
    if when.tzinfo is None:
        raise InvalidEventError("the event's time has no time zone")
    return when
