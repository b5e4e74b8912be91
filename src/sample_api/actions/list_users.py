"""GET /users: one page of users and the cursor of the next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sample_api.actions.cursor import decode_cursor, encode_cursor
from sample_api.actions.shapes import user_body
from sample_api.services import users as users_service

if TYPE_CHECKING:
    import psycopg


def list_users(conn: psycopg.Connection[Any], *, limit: int, cursor: str | None) -> dict[str, Any]:
    """`{"items": [...], "next_cursor": str | None}` for the page after `cursor`."""
    after_id = 0 if cursor is None else decode_cursor(cursor)
    page = users_service.list_users(conn, after_id=after_id, limit=limit)
    next_cursor = encode_cursor(page.users[-1].id) if page.has_more else None
    return {"items": [user_body(user) for user in page.users], "next_cursor": next_cursor}
