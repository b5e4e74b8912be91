"""EventBridge schedule rules, locally: invoke the function on its rule's schedule expression.

`rate(N unit)` runs every N minutes, hours or days from the start of `make dev`, as a new rule
does from its creation. `cron(min hour day month weekday year)` is approximated: it runs at
the next minute (UTC) that its minutes and hours fields match; the day, month, weekday and
year fields are ignored, so a weekly cron runs every day locally.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from localcloud import console
from localcloud.loop import BackgroundLoop

if TYPE_CHECKING:
    from collections.abc import Callable

    from localcloud.functions import FunctionHost
    from stackspec import ScheduleTrigger

ACCOUNT, REGION = "000000000000", "us-east-1"
_RATE = re.compile(r"rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)")
_CRON = re.compile(r"cron\(([^)]*)\)")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Schedule:
    """A parsed expression: a fixed period, or the minutes and hours a cron fires at."""

    expression: str
    period: timedelta | None = None
    minutes: frozenset[int] = frozenset()
    hours: frozenset[int] = frozenset()

    def next_after(self, moment: datetime) -> datetime:
        """The first time strictly after `moment` that the schedule fires (a rate: one period)."""
        if self.period is not None:
            return moment + self.period
        candidate = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        while candidate.minute not in self.minutes or candidate.hour not in self.hours:
            candidate += timedelta(minutes=1)  # at most a day of minutes: both sets are non-empty
        return candidate


def parse(expression: str) -> Schedule:
    """The schedule of a rule's ScheduleExpression; ValueError for one that cannot run here."""
    rate = _RATE.fullmatch(expression.strip())
    if rate:
        count, unit = int(rate.group(1)), rate.group(2).rstrip("s")
        if count < 1:
            raise ValueError(f"{expression}: a rate is at least 1")
        return Schedule(expression, period=timedelta(seconds=count * _UNIT_SECONDS[unit]))
    cron = _CRON.fullmatch(expression.strip())
    if cron:
        fields = cron.group(1).split()
        if len(fields) != 6:
            raise ValueError(f"{expression}: a cron expression has 6 fields")
        return Schedule(
            expression, minutes=_cron_field(fields[0], 0, 59), hours=_cron_field(fields[1], 0, 23)
        )
    raise ValueError(f"{expression}: only rate(...) and cron(...) run locally")


def _cron_field(text: str, low: int, high: int) -> frozenset[int]:
    """`*`, `5`, `1,30`, `0-10`, `*/15`, `5/15` or `0-30/10` as the values it allows."""
    values: set[int] = set()
    for part in text.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span in ("*", "?"):
            first, last = low, high
        elif "-" in span:
            first, last = (int(bound) for bound in span.split("-", 1))
        else:
            first = int(span)
            last = high if step_text else first
        if not low <= first <= last <= high or step < 1:
            raise ValueError(f"cron field {text!r} is out of {low}-{high}")
        values.update(range(first, last + 1, step))
    return frozenset(values)


def scheduled_event(rule: str, moment: datetime) -> dict[str, Any]:
    """The event EventBridge sends a rule's target (detail-type "Scheduled Event")."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{rule}"],
        "detail": {},
    }


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Scheduler(BackgroundLoop):
    """Invokes a function each time its rule's schedule comes due, checking every second."""

    name, interval, failure = "scheduler", 1.0, "scheduled invocation failed"

    def __init__(
        self,
        trigger: ScheduleTrigger,
        function: FunctionHost,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        super().__init__()
        self.trigger, self.function, self.clock = trigger, function, clock
        self.schedule = parse(trigger.expression)
        self.due = self.schedule.next_after(clock())

    def step(self) -> None:
        self.run_due()

    def run_due(self) -> bool:
        """Invoke the function if the schedule is due; returns whether it ran."""
        now = self.clock()
        if now < self.due:
            return False
        invocation = self.function.invoke(scheduled_event(self.trigger.rule, self.due))
        status = "raised" if invocation.error else "ok"
        console.invocation_line(self.function.name, self.trigger.expression, status, invocation)
        if invocation.error is not None:  # EventBridge retries; locally the next run comes
            console.say(f"{self.function.name} raised {type(invocation.error).__name__}")
        if self.schedule.period is None:
            self.due = self.schedule.next_after(now)
        else:
            self.due += self.schedule.period
            if self.due <= now:  # runs missed while the machine slept are not caught up
                self.due = now + self.schedule.period
        return True
