"""Object rules: one row per object version, so that a redelivery records nothing twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..daos import skeleton as skeleton_dao

if TYPE_CHECKING:
    import psycopg

    from ..models import ObjectRef, StoredObject


def record(conn: psycopg.Connection[Any], *, ref: ObjectRef, stored: StoredObject) -> bool:
    """Record the object version; False when it is already recorded."""
    with conn.transaction():
        row = skeleton_dao.insert(
            conn,
            bucket=ref.bucket,
            key=ref.key,
            version=stored.version,
            size=stored.size,
        )
    return row is not None
