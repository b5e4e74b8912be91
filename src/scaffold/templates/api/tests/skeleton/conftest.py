"""Call the real entry point with the function's own events, against the worker's database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from tests.fixtures.events import load_event

if TYPE_CHECKING:
    from collections.abc import Callable

    import psycopg

_ITEMS = "SELECT reference, quantity FROM skeleton ORDER BY id"


@dataclass(frozen=True)
class Reply:
    """A proxy response, decoded."""

    status: int
    headers: dict[str, str]
    body: Any


@pytest.fixture
def api(db: psycopg.Connection[Any], lambda_context: Any) -> Callable[..., Reply]:
    """A case of events/ through the handler, adjusted: `api("skeleton_list")`.

    `db` empties the tables first; DATABASE_URL already points at the worker's database.
    """
    from skeleton.index import handler

    def invoke(
        case: str,
        *,
        path: str | None = None,
        query: dict[str, str] | None = None,
        body: Any = None,
        raw_body: str | None = None,
    ) -> Reply:
        event = load_event(case)
        if path is not None:
            event["path"] = path
        if query is not None:
            event["queryStringParameters"] = query
            event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
        if body is not None:
            event["body"] = json.dumps(body)
        if raw_body is not None:
            event["body"] = raw_body
        result = handler(event, lambda_context("skeleton"))
        headers = {k: ", ".join(v) for k, v in result.get("multiValueHeaders", {}).items()}
        headers.update(result.get("headers") or {})
        return Reply(result["statusCode"], headers, json.loads(result["body"]))

    return invoke


@pytest.fixture
def items(db: psycopg.Connection[Any]) -> Callable[[], list[tuple[str, int]]]:
    """The table's rows as (reference, quantity), in id order."""
    return lambda: db.execute(_ITEMS).fetchall()
