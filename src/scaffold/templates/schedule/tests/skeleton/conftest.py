"""Call the real entry point with the function's Scheduled Event, at chosen times."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.fixtures.events import load_event

if TYPE_CHECKING:
    from collections.abc import Callable

    import psycopg

_RUNS = "SELECT scheduled_at, rows_counted FROM skeleton ORDER BY scheduled_at"


def scheduled(time: str) -> dict[str, Any]:
    """The function's sample Scheduled Event, for another time."""
    return {**load_event("skeleton_scheduled"), "time": time}


@pytest.fixture
def run(db: psycopg.Connection[Any], lambda_context: Any) -> Callable[..., Any]:
    """Invoke the handler as EventBridge does; `db` empties the table first."""
    from skeleton.index import handler

    return lambda event: handler(event, lambda_context("skeleton"))


@pytest.fixture
def runs(db: psycopg.Connection[Any]) -> Callable[[], list[tuple[Any, ...]]]:
    """The table's rows: (scheduled_at, rows_counted)."""
    return lambda: [(at.isoformat(), n) for at, n in db.execute(_RUNS).fetchall()]
