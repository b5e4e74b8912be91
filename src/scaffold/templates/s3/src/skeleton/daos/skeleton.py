"""The skeleton table: SQL only, placeholders only, rows as Recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg.rows import class_row

if TYPE_CHECKING:
    from datetime import datetime

    import psycopg


@dataclass(slots=True)
class Recorded:
    """A row of the table: one object version."""

    bucket: str
    object_key: str
    object_version: str
    size: int
    recorded_at: datetime


def insert(
    conn: psycopg.Connection[Any], *, bucket: str, key: str, version: str, size: int
) -> Recorded | None:
    """Insert an object version; None when it is already in the table."""
    with conn.cursor(row_factory=class_row(Recorded)) as cur:
        cur.execute(
            """
            INSERT INTO skeleton (bucket, object_key, object_version, size)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (bucket, object_key, object_version) DO NOTHING
            RETURNING bucket, object_key, object_version, size, recorded_at
            """,
            [bucket, key, version, size],
        )
        return cur.fetchone()
