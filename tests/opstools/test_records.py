"""Recorded log events of a deployed stage, read and rendered one line per record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from opstools import cwlogs, lambda_text, render
from opstools.records import Record, parse
from stackspec.deployed import LogGroup
from tests.opstools.conftest import recording

if TYPE_CHECKING:
    from collections.abc import Iterator


def events(recorded: dict[str, Any], groups: dict[str, LogGroup]) -> Iterator[tuple[str, Record]]:
    """Each recorded event's message, and its record as its group's declaration reads it."""
    for name, items in recorded["groups"].items():
        group = groups[name]
        for item in items:
            fields = group.access_fields() or None
            yield item["message"], parse(item["message"], item["timestamp"], group.source, fields)


def find(
    recorded: dict[str, Any], groups: dict[str, LogGroup], start: str, invocation: str
) -> Record:
    """The record of the invocation whose message starts with `start`."""
    return next(
        record
        for message, record in events(recorded, groups)
        if message.startswith(start) and record.invocation == invocation
    )


def test_every_recorded_event_is_one_line_with_its_time_and_source(
    recorded: dict[str, Any], recorded_groups: dict[str, LogGroup]
) -> None:
    for _, record in events(recorded, recorded_groups):
        line = render.line(record)
        assert "\n" not in line and "\t" not in line and "\r" not in line
        assert line.startswith(record.time.strftime("%Y-%m-%d %H:%M:%S."))
        assert record.source in line


def test_a_powertools_line_gives_level_message_details_and_its_ids(
    recorded: dict[str, Any], recorded_groups: dict[str, LogGroup]
) -> None:
    ids = recorded["ids"]
    record = find(recorded, recorded_groups, "{", ids["lambda_import_failed"])
    line = render.line(record)
    assert record.level == "ERROR"
    assert record.message == "import failed, will be retried"
    assert record.import_id == ids["import_failed"]
    assert 'key="imports/new users.csv"' in line and "failure=transient" in line
    # The keys every line carries stay out of the way.
    assert "function_arn" not in line and "xray_trace_id" not in line and "cold_start" not in line
    assert line.endswith(f"lambda={ids['lambda_import_failed']} import={ids['import_failed']}")


def test_a_powertools_exception_is_its_error_and_where_it_was_raised(
    recorded: dict[str, Any], recorded_groups: dict[str, LogGroup]
) -> None:
    ids = recorded["ids"]
    record = find(recorded, recorded_groups, "{", ids["lambda_request_500"])
    assert record.message == (
        "unhandled error: KeyError: 'created_at' (at sample_api/daos/users.py:58 in page)"
    )
    assert record.request_id == ids["api_request_500"]
    assert "stack_trace" not in render.line(record)


def test_an_access_log_line_is_read_with_the_keys_the_templates_format_gives(
    recorded: dict[str, Any], recorded_groups: dict[str, LogGroup]
) -> None:
    ids = recorded["ids"]
    record = find(recorded, recorded_groups, "{", ids["lambda_request_timeout"])
    assert record.source.endswith("access")
    assert record.message == "GET /{proxy+} 502"
    assert record.level == "ERROR"
    assert record.request_id == ids["api_request_timeout"]
    assert record.invocation == ids["lambda_request_timeout"]
    assert "integrationLatency=10016" in render.line(record)


def test_an_access_log_in_another_format_is_read_through_that_format() -> None:
    # GIVEN an access log whose Format names the fields its own way
    group = LogGroup(
        "/aws/apigateway/x",
        "x-access",
        (),
        '{"id":"$context.requestId","verb":"$context.httpMethod","path":"$context.resourcePath",'
        '"code":"$context.status","fn":"$context.integration.requestId"}',
    )
    message = '{"id":"r-1","verb":"DELETE","path":"/users/{id}","code":"404","fn":"l-1"}'
    # WHEN a line is read THEN the format's keys give the request
    record = parse(message, 0, group.source, group.access_fields())
    assert (record.message, record.level, record.request_id, record.invocation) == (
        "DELETE /users/{id} 404",
        "WARNING",
        "r-1",
        "l-1",
    )


def test_report_start_end_and_init_lines_are_condensed(
    recorded: dict[str, Any], recorded_groups: dict[str, LogGroup]
) -> None:
    ids = recorded["ids"]
    cold = find(recorded, recorded_groups, "REPORT", ids["lambda_request_ok"])
    assert cold.message == "18.42 ms (billed 19 ms), 96/512 MB, init 812.35 ms"
    timeout = find(recorded, recorded_groups, "REPORT", ids["lambda_request_timeout"])
    assert timeout.message == "10010.42 ms (billed 10000 ms), 98/512 MB, status timeout"
    start = find(recorded, recorded_groups, "START", ids["lambda_request_ok"])
    assert (start.level, start.message) == ("START", "version $LATEST")
    init = parse(
        "INIT_START Runtime Version: python:3.13.v31\tRuntime Version ARN: arn:x\n", 0, "f"
    )
    assert (init.level, init.message) == ("INIT", "runtime python:3.13.v31")


def test_a_timeout_line_is_an_error_of_its_invocation(
    recorded: dict[str, Any], recorded_groups: dict[str, LogGroup]
) -> None:
    ids = recorded["ids"]
    record = find(recorded, recorded_groups, "2026-", ids["lambda_request_timeout"])
    assert (record.level, record.message) == ("ERROR", "Task timed out after 10.01 seconds")


def test_an_unstructured_traceback_is_its_error_and_where_it_was_raised(
    recorded: dict[str, Any], recorded_groups: dict[str, LogGroup]
) -> None:
    crashes = [r for m, r in events(recorded, recorded_groups) if m.startswith("[ERROR]")]
    assert crashes
    for record in crashes:
        assert record.level == "ERROR"
        assert record.message == (
            "SettingsError: DB_PORT must be an integer, got 'five' "
            "(at shared/settings.py:36 in _integer)"
        )


def test_the_python_runtimes_own_log_line_gives_its_level_and_invocation(
    recorded: dict[str, Any], recorded_groups: dict[str, LogGroup]
) -> None:
    ids = recorded["ids"]
    record = find(recorded, recorded_groups, "[WARNING]", ids["lambda_request_503"])
    assert record.level == "WARNING"
    assert record.message.startswith("Connection pool is full")


def test_a_metrics_line_is_its_metrics_by_name(
    recorded: dict[str, Any], recorded_groups: dict[str, LogGroup]
) -> None:
    metrics = [r for m, r in events(recorded, recorded_groups) if '"_aws"' in m]
    assert "RowsImported=30 RowsRejected=0 RowsDuplicate=0 ImportDuration=143" in {
        r.message for r in metrics
    }
    assert {r.level for r in metrics} == {"METRIC"}


def test_an_unknown_multiline_text_is_its_first_line_and_a_count() -> None:
    record = parse("print debugging\nsecond\nthird\n", 0, "f")
    assert (record.level, record.message) == ("-", "print debugging (+2 lines)")
    assert render.line(record).endswith("print debugging (+2 lines)")


def test_a_traceback_split_by_carriage_returns_reads_like_one_split_by_newlines() -> None:
    text = (
        "[ERROR] ValueError: x\rTraceback (most recent call last):\r"
        '  File "/var/task/a.py", line 3, in h'
    )
    assert lambda_text.parse(text).message == "ValueError: x (at a.py:3 in h)"


def test_a_long_detail_is_cut_so_that_the_line_stays_readable() -> None:
    record = Record(datetime(2026, 1, 15, tzinfo=UTC), "f", "INFO", "m", details={"x": "y" * 500})
    assert len(render.line(record)) < 300


def test_a_recorded_live_tail_session_gives_each_event_with_its_group() -> None:
    # GIVEN a StartLiveTail stream: identifiers as <account>:<name> and as ARNs, one sampled
    stream = recording("live_tail_session")["stream"]
    notes: list[str] = []
    # WHEN its events are read
    got = list(cwlogs.session_events(stream, notes.append))
    # THEN every result comes out with its group's name, and the sampling is said
    results = [
        r for item in stream for r in item.get("sessionUpdate", {}).get("sessionResults", [])
    ]
    assert len(got) == len(results) > 0
    assert {event.group for event in got} == {
        cwlogs.group_name(r["logGroupIdentifier"]) for r in results
    }
    assert all(event.group.startswith("/aws/") for event in got)
    assert any("live tail of 3 group(s)" in note for note in notes)
    assert any("sample" in note for note in notes)


def test_live_tail_events_render_like_filtered_ones(
    recorded_groups: dict[str, LogGroup],
) -> None:
    stream = recording("live_tail_session")["stream"]
    for event in cwlogs.session_events(stream, lambda _: None):
        group = recorded_groups[event.group]
        record = parse(event.message, event.timestamp, group.source, group.access_fields() or None)
        assert record.source == group.source
        assert "\n" not in render.line(record)
