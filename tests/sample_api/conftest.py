"""Call the real sample_api entry point with events from events/, against the worker's database."""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from tests.fixtures.events import load_event

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class Reply:
    """A handler's proxy response, decoded."""

    status: int
    headers: dict[str, str]
    raw_body: str

    @property
    def body(self) -> Any:
        return json.loads(self.raw_body)


Invoke = Callable[..., Reply]


@pytest.fixture
def api(database_url: str, db: psycopg.Connection[Any], lambda_context: Any) -> Invoke:
    """`api("post_user", body={...})`: the named event, adjusted, through sample_api's handler.

    DATABASE_URL already points at the worker's database when sample_api.index is first
    imported, so its cold-start settings are the ones under test; `db` empties the tables.
    """
    from sample_api.index import handler

    def invoke(
        name: str,
        *,
        method: str | None = None,
        path: str | None = None,
        query: dict[str, str] | None = None,
        body: Any = None,
        raw_body: str | None = None,
        headers: dict[str, str] | None = None,
        base64_body: bytes | str | None = None,
    ) -> Reply:
        event = load_event(name)
        if method is not None:
            event["httpMethod"] = method
        if path is not None:
            event["path"] = path
        if query is not None:
            event["queryStringParameters"] = query
            event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
        if body is not None:
            event["body"] = json.dumps(body)
        if raw_body is not None:
            event["body"] = raw_body
        if base64_body is not None:  # a str is sent as it is: the base64 may be broken
            encoded = base64_body
            if isinstance(encoded, bytes):
                encoded = base64.b64encode(encoded).decode()
            event["body"] = encoded
            event["isBase64Encoded"] = True
        for key, value in (headers or {}).items():
            event["headers"][key] = value
            event["multiValueHeaders"][key] = [value]
        result = handler(event, lambda_context("sample_api"))
        flat = {key: ", ".join(values) for key, values in result["multiValueHeaders"].items()}
        return Reply(result["statusCode"], {**result.get("headers", {}), **flat}, result["body"])

    return invoke


def count_users(db: psycopg.Connection[Any]) -> int:
    """How many rows the users table holds."""
    row = db.execute("SELECT count(*) FROM users").fetchone()
    assert row is not None
    return int(row[0])


def add_users(db: psycopg.Connection[Any], count: int) -> list[int]:
    """Insert `count` users directly; their ids in order."""
    rows = db.execute(
        "INSERT INTO users (name, email)"
        " SELECT 'User ' || n, 'user' || n || '@example.com' FROM generate_series(1, %s) AS n"
        " RETURNING id",
        [count],
    ).fetchall()
    return sorted(row[0] for row in rows)


@pytest.fixture
def log_output(api: Invoke) -> Iterator[io.StringIO]:
    """What the function logs during the test (its JSON lines), captured from its own handler."""
    from shared.log import get_logger

    handler = get_logger().registered_handler
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@dataclass(frozen=True)
class DownDatabase:
    """Where DATABASE_URL points while the database is down: a socket folder with no server."""

    socket_dir: str
    password: str


@pytest.fixture
def database_down(
    fresh_function_connection: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> DownDatabase:
    """A cold function whose DATABASE_URL (with a password in it) reaches no server."""
    # A password in the URL, so the test can show it never reaches a body or a log.
    down = DownDatabase(socket_dir=str(tmp_path), password="hunter2")  # noqa: S106
    url = f"postgresql://app:{down.password}@/postgres?host={down.socket_dir}"
    monkeypatch.setenv("DATABASE_URL", url)
    return down
