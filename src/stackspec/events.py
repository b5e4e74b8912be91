"""A function's sample events (events/<function>/<case>.json) and what each must answer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from stackspec.model import Function

NON_EMPTY = "<non-empty>"


@dataclass(frozen=True)
class Case:
    """One sample event and its expectation (events/README.md)."""

    name: str
    path: Path
    event: Any
    response: Any
    after: tuple[str, ...] = ()
    upload: str | None = None
    empty_database: bool = False
    rows: Mapping[str, int] = field(default_factory=dict)  # table -> row count after the case

    def mismatch(self, actual: Any) -> str | None:
        """Why the handler's return value does not match `response`; None when it does."""
        return _mismatch(self.response, actual, "response")


def load_case(path: Path) -> Case:
    """The case in path and the expectation beside it (none: any answer that is not an error)."""
    event = json.loads(path.read_text(encoding="utf-8"))
    expected_path = path.with_name(f"{path.stem}.expected.json")
    expected: dict[str, Any] = {}
    if expected_path.is_file():
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
    return Case(
        name=path.stem,
        path=path,
        event=event,
        response=expected.get("response"),
        after=tuple(expected.get("after", ())),
        upload=expected.get("upload"),
        empty_database=expected.get("database") == "empty",
        rows={str(table): int(count) for table, count in expected.get("rows", {}).items()},
    )


def cases(function: Function) -> list[Case]:
    """The function's cases by name, each after the cases it names in `after`."""
    found = {
        path.stem: load_case(path)
        for path in sorted(function.events.glob("*.json"))
        if not path.name.endswith(".expected.json")
    }
    ordered: list[Case] = []

    def visit(case: Case, seen: tuple[str, ...]) -> None:
        if case in ordered:
            return
        for name in case.after:
            if name in seen or name not in found:
                raise ValueError(f"{case.path}: `after` names {name!r}, a missing or cyclic case")
            visit(found[name], (*seen, name))
        ordered.append(case)

    for case in found.values():
        visit(case, (case.name,))
    return ordered


def _mismatch(expected: Any, actual: Any, where: str) -> str | None:
    if expected is None:
        return None
    if expected == NON_EMPTY:
        return None if actual else f"{where} is empty"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where} is {actual!r}, expected an object"
        for key, value in expected.items():
            if key not in actual:
                return f"{where}.{key} is missing"
            problem = _mismatch(value, actual[key], f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{where} is {actual!r}, expected {len(expected)} item(s)"
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            problem = _mismatch(want, got, f"{where}[{index}]")
            if problem:
                return problem
        return None
    return None if expected == actual else f"{where} is {actual!r}, expected {expected!r}"
