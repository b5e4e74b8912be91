"""Call the real entry point with SQS batches built from the function's own event."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

import pytest

from tests.fixtures.events import load_event

if TYPE_CHECKING:
    from collections.abc import Callable

    import psycopg

_ROWS = """
    SELECT message_id, status, reference, quantity, reason FROM skeleton ORDER BY 1
"""


def batch(*bodies: str) -> dict[str, Any]:
    """An SQS batch, one message per body, each with a new id (as the event source sends)."""
    template = load_event("skeleton_message")["Records"][0]
    records = [{**template, "messageId": str(uuid.uuid4()), "body": body} for body in bodies]
    return {"Records": records}


def body(**fields: Any) -> str:
    """The body of the sample message, with some fields changed."""
    sample = json.loads(load_event("skeleton_message")["Records"][0]["body"])
    return json.dumps({**sample, **fields})


@pytest.fixture
def consume(db: psycopg.Connection[Any], lambda_context: Any) -> Callable[..., Any]:
    """Hand a batch to the handler, as the event source mapping does; `db` empties the table."""
    from skeleton.index import handler

    return lambda event: handler(event, lambda_context("skeleton"))


@pytest.fixture
def received(db: psycopg.Connection[Any]) -> Callable[[], list[tuple[Any, ...]]]:
    """The table's rows: (message_id, status, reference, quantity, reason)."""
    return lambda: db.execute(_ROWS).fetchall()
