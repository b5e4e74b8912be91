"""GET /users/{id}: one user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sample_api.actions.shapes import user_body
from sample_api.services import users as users_service

if TYPE_CHECKING:
    import psycopg


def get_user(conn: psycopg.Connection[Any], user_id: int) -> dict[str, Any]:
    """The user as JSON; raises UserNotFoundError."""
    return user_body(users_service.get_user(conn, user_id))
