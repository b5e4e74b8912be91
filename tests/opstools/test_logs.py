"""`make logs`: a stage's groups in moto's CloudWatch Logs, merged, one request or import kept."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from opstools import logs
from stackspec import ApiTrigger

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from opstools.records import Record
    from opstools.stage import Stage
    from stackspec.deployed import LogGroup


def put_recorded(
    client: Any,
    stage: Stage,
    recorded: dict[str, Any],
    groups: dict[str, LogGroup],
    only: str | None = None,
) -> int:
    """The recorded events in the stage's groups (or one function's), moved so that the last
    is a minute old. Returns the epoch ms the first event was moved to.
    """
    every = [e["timestamp"] for items in recorded["groups"].values() for e in items]
    shift = int(time.time() * 1000) - 60_000 - max(every)
    for name, items in recorded["groups"].items():
        if only is not None and groups[name].source != only:
            continue
        group = groups[name].name_in(stage.project, stage.name)
        client.create_log_group(logGroupName=group)
        client.create_log_stream(logGroupName=group, logStreamName=items[0]["logStreamName"])
        client.put_log_events(
            logGroupName=group,
            logStreamName=items[0]["logStreamName"],
            logEvents=[
                {"timestamp": e["timestamp"] + shift, "message": e["message"]} for e in items
            ],
        )
    return min(every) + shift


@pytest.fixture
def deployed(
    aws: Callable[[str], Any],
    stage: Stage,
    recorded: dict[str, Any],
    recorded_groups: dict[str, LogGroup],
) -> tuple[Any, int]:
    """moto's Logs holding the recording in the stage's groups; the client and the first time."""
    client = aws("logs")
    return client, put_recorded(client, stage, recorded, recorded_groups)


def of_id(
    deployed: tuple[Any, int], stage: Stage, wanted: str, since: int | None = None
) -> list[Record]:
    """The stage's records of one id, read from the recording's first event on (or since)."""
    client, first = deployed
    return logs.read(
        client,
        stage.log_groups(),
        start_ms=first if since is None else since,
        wanted=wanted,
        limit=1000,
        say=lambda _: None,
    )


def test_logs_merge_the_stages_function_and_access_groups_in_time_order(
    deployed: tuple[Any, int],
    stage: Stage,
    recorded: dict[str, Any],
    recorded_groups: dict[str, LogGroup],
) -> None:
    client, first = deployed
    notes: list[str] = []
    groups = stage.log_groups()
    records = logs.read(client, groups, start_ms=first, wanted=None, limit=1000, say=notes.append)
    assert len(records) == sum(len(items) for items in recorded["groups"].values())
    assert [r.time for r in records] == sorted(r.time for r in records)
    assert {r.source for r in records} == {g.source for g in recorded_groups.values()}
    # The declared groups this stage lacks (stacks not in the recording) are named, not fatal.
    assert len(notes) == len(groups) - len(recorded_groups) > 0
    assert all("no such log group" in note for note in notes)


def test_following_one_api_request_gives_its_access_line_and_its_whole_invocation(
    deployed: tuple[Any, int], stage: Stage, recorded: dict[str, Any]
) -> None:
    ids = recorded["ids"]
    records = of_id(deployed, stage, ids["api_request_500"])
    assert [r.level for r in records] == ["START", "ERROR", "END", "REPORT", "ERROR"]
    assert {r.invocation for r in records} == {ids["lambda_request_500"]}
    assert records[-1].source.endswith("access")


def test_a_request_whose_function_logged_nothing_is_followed_by_the_access_logs_lambda_id(
    deployed: tuple[Any, int], stage: Stage, recorded: dict[str, Any]
) -> None:
    ids = recorded["ids"]
    records = of_id(deployed, stage, ids["api_request_timeout"])
    assert "Task timed out after 10.01 seconds" in [r.message for r in records]
    assert {r.invocation for r in records} == {ids["lambda_request_timeout"]}


def test_following_one_import_gives_its_lines_and_its_invocation_only(
    deployed: tuple[Any, int], stage: Stage, recorded: dict[str, Any]
) -> None:
    ids = recorded["ids"]
    records = of_id(deployed, stage, ids["import_failed"])
    assert [r.level for r in records] == ["START", "ERROR", "END", "REPORT"]
    assert [r.import_id for r in records if r.import_id] == [ids["import_failed"]]
    assert {r.invocation for r in records} == {ids["lambda_import_failed"]}


def test_an_id_before_the_window_finds_nothing(
    deployed: tuple[Any, int], stage: Stage, recorded: dict[str, Any]
) -> None:
    later = int(time.time() * 1000)
    assert of_id(deployed, stage, recorded["ids"]["import_failed"], since=later) == []


def test_function_narrows_to_its_group_and_the_access_log_of_the_api_in_front_of_it(
    stage: Stage,
) -> None:
    behind_api = next(f for f in stackspec.functions() if f.trigger(ApiTrigger))
    groups = stage.log_groups(behind_api.name)
    assert {g.source for g in groups.values() if g.access_format is None} == {behind_api.name}
    assert any(g.access_format for g in groups.values())
    others = next(f for f in stackspec.functions() if not f.trigger(ApiTrigger))
    assert [g.source for g in stage.log_groups(others.name).values()] == [others.name]


def test_an_undeclared_function_is_refused_with_the_declared_ones(stage: Stage) -> None:
    from opstools.stage import StageError

    with pytest.raises(StageError, match=stackspec.functions()[0].name):
        stage.log_groups("nope")


@pytest.fixture
def importer_logs(
    aws: Callable[[str], Any],
    stage: Stage,
    recorded: dict[str, Any],
    recorded_groups: dict[str, LogGroup],
) -> tuple[Any, str]:
    """moto's Logs with the importer's recorded group alone, and created last: moto 5.2.5's
    Live Tail finds a group by its ARN as the last group created. The client and the importer.
    """
    client = aws("logs")
    importer = stage.import_source()[0].name
    put_recorded(client, stage, recorded, recorded_groups, only=importer)
    return client, importer


def test_live_tail_follows_a_group_and_keeps_one_import(
    importer_logs: tuple[Any, str], stage: Stage, recorded: dict[str, Any]
) -> None:
    # GIVEN moto's Live Tail, whose session sends what the group holds, then ends
    client, importer = importer_logs
    ids = recorded["ids"]
    shown: list[Record] = []
    # WHEN it is followed for one import
    logs.follow(
        client,
        stage.log_groups(importer),
        wanted=ids["import_completed"],
        out=shown.append,
        say=lambda _: None,
    )
    # THEN its line and the end of its invocation come out (its START came before the id did)
    assert [r.level for r in shown] == ["INFO", "END", "REPORT"]
    assert {r.invocation for r in shown} == {ids["lambda_import_completed"]}


def test_live_tail_of_a_stage_not_deployed_says_so(aws: Callable[[str], Any], stage: Stage) -> None:
    with pytest.raises(ValueError, match="deployed"):
        logs.follow(aws("logs"), stage.log_groups(), wanted=None, out=print, say=lambda _: None)


@pytest.mark.parametrize(
    ("since", "minutes"), [("10m", 10), ("2h", 120), ("1d", 1440), ("30s", 0.5)]
)
def test_since_is_a_duration_back_from_now(since: str, minutes: float) -> None:
    now = datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    assert logs.since_ms(since, now) == int(now.timestamp() * 1000 - minutes * 60_000)


def test_since_is_also_an_iso_time_in_utc_unless_it_says() -> None:
    assert logs.since_ms("2026-01-15T10:00") == 1768471200000
    assert logs.since_ms("2026-01-15T11:00+01:00") == 1768471200000


def test_a_bad_since_or_id_is_refused_with_what_to_give() -> None:
    with pytest.raises(ValueError, match="10m"):
        logs.since_ms("yesterday")
    with pytest.raises(ValueError, match="ID="):
        logs.checked_id('x" OR "y')


def test_a_live_tail_session_that_times_out_is_started_again(
    importer_logs: tuple[Any, str], stage: Stage
) -> None:
    # GIVEN sessions that time out after three hours, as Live Tail's do, the second one ending
    from botocore.exceptions import EventStreamError

    from opstools.cwlogs import Event

    client, importer = importer_logs
    group = next(iter(stage.log_groups(importer)))
    started: list[list[str]] = []

    def sessions(_: Any, arns: list[str], say: Callable[[str], None]) -> Iterator[Event]:
        started.append(arns)
        yield Event(group, 0, f"line {len(started)}")
        if len(started) == 1:
            error = {"Error": {"Code": "SessionTimeoutException", "Message": "3 hours"}}
            raise EventStreamError(error, "StartLiveTail")

    shown: list[Record] = []
    notes: list[str] = []
    # WHEN the group is followed
    logs.follow(
        client,
        stage.log_groups(importer),
        wanted=None,
        out=shown.append,
        say=notes.append,
        sessions=sessions,
    )
    # THEN a second session follows the first, on the same groups, and says why
    assert [r.message for r in shown] == ["line 1", "line 2"]
    assert started[0] == started[1] != []
    assert any("timed out" in note for note in notes)


def test_a_group_not_deployed_is_named_once_however_many_searches_an_id_takes(
    deployed: tuple[Any, int], stage: Stage, recorded: dict[str, Any]
) -> None:
    client, first = deployed
    notes: list[str] = []
    wanted = recorded["ids"]["api_request_500"]
    logs.read(
        client, stage.log_groups(), start_ms=first, wanted=wanted, limit=1000, say=notes.append
    )
    assert notes and len(notes) == len(set(notes))
