"""The job through its real entry point: once per scheduled time, and loudly when it cannot."""

from __future__ import annotations

from typing import Any

import pytest

from shared.errors import DatabaseUnavailableError
from tests.skeleton.conftest import scheduled


def test_a_scheduled_event_does_the_job_and_records_its_time(run: Any, runs: Any) -> None:
    result = run(scheduled("2026-01-15T10:00:00Z"))
    assert result == {"scheduled_at": "2026-01-15T10:00:00Z", "status": "done", "rows_counted": 0}
    assert runs() == [("2026-01-15T10:00:00+00:00", 0)]


def test_a_second_delivery_of_the_same_time_does_the_job_once(run: Any, runs: Any) -> None:
    event = scheduled("2026-01-15T10:00:00Z")
    run(event)
    assert run(event)["status"] == "already done"
    assert len(runs()) == 1


def test_each_scheduled_time_is_a_run_of_its_own(run: Any, runs: Any) -> None:
    run(scheduled("2026-01-15T10:00:00Z"))
    run(scheduled("2026-01-15T10:05:00Z"))
    assert [counted for _, counted in runs()] == [0, 1]


def test_an_event_without_a_valid_time_is_refused_and_does_nothing(run: Any, runs: Any) -> None:
    from skeleton.errors import InvalidEventError

    with pytest.raises(InvalidEventError, match="no valid time"):
        run(scheduled("yesterday"))
    assert runs() == []


def test_a_run_fails_while_the_database_is_down_so_that_lambda_retries_it(
    run: Any, runs: Any, unreachable_database: None
) -> None:
    with pytest.raises(DatabaseUnavailableError):
        run(scheduled("2026-01-15T10:00:00Z"))
    assert runs() == []
