"""The reference handler: GET /users with only json and psycopg, dispatch written by hand."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import psycopg

_QUERY = "SELECT id, name, email, created_at FROM users WHERE id > %s ORDER BY id LIMIT %s"
_connection: psycopg.Connection[Any] | None = None


def _conn() -> psycopg.Connection[Any]:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.Connection.connect(
            os.environ["DATABASE_URL"], autocommit=True, prepare_threshold=None
        )
    return _connection


def _reply(status: int, body: Any) -> dict[str, Any]:
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    return {"statusCode": status, "headers": headers, "body": json.dumps(body)}


def _list_users(params: dict[str, str]) -> dict[str, Any]:
    try:
        limit = int(params.get("limit", "20"))
        after = json.loads(base64.urlsafe_b64decode(params["cursor"] + "=="))["after"]
    except KeyError:
        after = 0
    except ValueError:
        return _reply(422, {"message": "bad limit or cursor"})
    if not 1 <= limit <= 100:
        return _reply(422, {"message": "limit must be 1..100"})
    rows = _conn().execute(_QUERY, [after, limit + 1]).fetchall()
    items = [
        {"id": r[0], "name": r[1], "email": r[2], "created_at": r[3].isoformat()}
        for r in rows[:limit]
    ]
    cursor = None
    if len(rows) > limit:
        raw = json.dumps({"after": items[-1]["id"]}).encode()
        cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return _reply(200, {"items": items, "next_cursor": cursor})


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if event["path"] == "/users" and event["httpMethod"] == "GET":
        return _list_users(event.get("queryStringParameters") or {})
    return _reply(404, {"message": "not found"})
