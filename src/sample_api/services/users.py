"""User rules: pages, lookups and registration with case-insensitive unique emails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sample_api.daos import users as users_dao
from sample_api.errors import EmailTakenError, UserNotFoundError

if TYPE_CHECKING:
    import psycopg

    from sample_api.daos.users import User


@dataclass(slots=True)
class Page:
    """Users in id order, and whether more follow the last one."""

    users: list[User]
    has_more: bool


def list_users(conn: psycopg.Connection[Any], *, after_id: int, limit: int) -> Page:
    """The next `limit` users after `after_id`."""
    # One extra row tells whether another page exists, without a COUNT.
    rows = users_dao.select_page(conn, after_id=after_id, limit=limit + 1)
    return Page(users=rows[:limit], has_more=len(rows) > limit)


def get_user(conn: psycopg.Connection[Any], user_id: int) -> User:
    """The user with this id; raises UserNotFoundError."""
    user = users_dao.select_by_id(conn, user_id)
    if user is None:
        raise UserNotFoundError(user_id)
    return user


def register(conn: psycopg.Connection[Any], *, name: str, email: str) -> User:
    """Create a user; raises EmailTakenError when the email exists in any case."""
    with conn.transaction():
        user = users_dao.insert(conn, name=name, email=email)
    if user is None:
        raise EmailTakenError("email already taken")
    return user
