"""EventBridge schedule rules, locally: rate and cron expressions, and the event they send."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from localcloud.schedule import Scheduler, parse
from stackspec import ScheduleTrigger

if TYPE_CHECKING:
    from collections.abc import Callable

    from localcloud.functions import FunctionHost

START = datetime(2026, 3, 2, 10, 7, 30, tzinfo=UTC)

RECORDING_HANDLER = """
EVENTS = []

def handler(event, context):
    EVENTS.append(event)
    return {"ok": True}
"""


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [
        ("rate(1 minute)", 60),
        ("rate(5 minutes)", 300),
        ("rate(2 hours)", 7200),
        ("rate(1 day)", 86400),
    ],
)
def test_a_rate_runs_every_period(expression: str, seconds: int) -> None:
    assert parse(expression).next_after(START) == START + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("cron(0/15 * * * ? *)", START, START.replace(minute=15, second=0)),
        ("cron(30 9 * * ? *)", START, START.replace(day=3, hour=9, minute=30, second=0)),
        ("cron(0 10-12 ? * MON-FRI *)", START, START.replace(hour=11, minute=0, second=0)),
        ("cron(5,50 * * * ? *)", START, START.replace(minute=50, second=0)),
    ],
)
def test_a_cron_runs_at_the_next_minute_its_minutes_and_hours_match(
    expression: str, after: datetime, expected: datetime
) -> None:
    assert parse(expression).next_after(after) == expected


@pytest.mark.parametrize(
    "expression", ["rate(0 minutes)", "rate(5 weeks)", "at(2026-01-01T00:00:00)", "cron(0 9 * *)"]
)
def test_an_expression_that_cannot_run_locally_is_refused(expression: str) -> None:
    with pytest.raises(ValueError, match=r"rate|cron"):
        parse(expression)


def test_the_function_gets_a_scheduled_event_each_time_the_rule_is_due(
    function_package: Callable[[str], FunctionHost],
) -> None:
    # GIVEN a rule running every 5 minutes, on a clock the test moves
    now = [START]
    host = function_package(RECORDING_HANDLER)
    scheduler = Scheduler(ScheduleTrigger("nightly", "rate(5 minutes)"), host, lambda: now[0])
    # WHEN the clock passes 4, 5, 9 and 10 minutes
    ran = []
    for minutes in (4, 5, 9, 10):
        now[0] = START + timedelta(minutes=minutes, seconds=1)
        ran.append(scheduler.run_due())
    # THEN it ran at 5 and 10 minutes, each time with EventBridge's Scheduled Event
    assert ran == [False, True, False, True]
    events = sys.modules[host.handler.rpartition(".")[0]].EVENTS
    assert [event["time"] for event in events] == ["2026-03-02T10:12:30Z", "2026-03-02T10:17:30Z"]
    event = events[0]
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["resources"] == ["arn:aws:events:us-east-1:000000000000:rule/nightly"]
    assert event["detail"] == {}


def test_runs_missed_while_the_machine_slept_are_not_caught_up(
    function_package: Callable[[str], FunctionHost],
) -> None:
    now = [START]
    host = function_package(RECORDING_HANDLER)
    scheduler = Scheduler(ScheduleTrigger("often", "rate(1 minute)"), host, lambda: now[0])
    now[0] = START + timedelta(minutes=30)
    assert scheduler.run_due() is True
    assert scheduler.run_due() is False  # not 29 more runs at once
    assert scheduler.due == now[0] + timedelta(minutes=1)
