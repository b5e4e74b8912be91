"""The sample events (`make invoke`, `make verify`) answer what their expectations say."""

from __future__ import annotations

from typing import Any

import stackspec
from stackspec.events import cases


def test_the_sample_events_in_order_answer_as_expected_and_leave_the_documented_state(
    mirror: Any, profiles: Any
) -> None:
    for case in cases(stackspec.function("sample_stream")):
        assert case.mismatch(mirror(case.event)) is None, case.name
    state = {row["email"]: (row["display_name"], row["deletion"]) for row in profiles()}
    assert state == {
        "ada@example.com": (None, "removed"),  # the replayed insert did not bring her back
        "grace@example.com": (None, "expired"),
        "edsger@example.com": ("Edsger Dijkstra", None),  # after the poison, still applied
    }
