"""The users table: SQL only, placeholders only, rows as User."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg.rows import args_row

if TYPE_CHECKING:
    from datetime import datetime

    import psycopg


# Not frozen: one is built per row, and a frozen dataclass's __init__ costs ~4x more.
@dataclass(slots=True)
class User:
    """A row of users; the queries select its columns in this order (args_row: User(*row))."""

    id: int
    name: str
    email: str
    created_at: datetime


# Positional, User(*row): class_row built a dict per row, which cost more than the rest of
# reading a page (bench/bench_api.py, "our layers only").
_USER = args_row(User)


def select_page(conn: psycopg.Connection[Any], *, after_id: int, limit: int) -> list[User]:
    """Up to `limit` users with an id above `after_id`, in id order (keyset pagination)."""
    with conn.cursor(row_factory=_USER) as cur:
        cur.execute(
            "SELECT id, name, email, created_at FROM users WHERE id > %s ORDER BY id LIMIT %s",
            [after_id, limit],
        )
        return cur.fetchall()


def select_by_id(conn: psycopg.Connection[Any], user_id: int) -> User | None:
    """The user with this id, or None."""
    with conn.cursor(row_factory=_USER) as cur:
        cur.execute("SELECT id, name, email, created_at FROM users WHERE id = %s", [user_id])
        return cur.fetchone()


def insert(conn: psycopg.Connection[Any], *, name: str, email: str) -> User | None:
    """Insert a user; None when the email is already taken, ignoring case."""
    with conn.cursor(row_factory=_USER) as cur:
        cur.execute(
            "INSERT INTO users (name, email) VALUES (%s, %s)"
            " ON CONFLICT (lower(email)) DO NOTHING RETURNING id, name, email, created_at",
            [name, email],
        )
        return cur.fetchone()
