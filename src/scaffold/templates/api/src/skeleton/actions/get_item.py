"""GET one: the item with an id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..services import items
from .shapes import item_body

if TYPE_CHECKING:
    import psycopg


def get_item(conn: psycopg.Connection[Any], item_id: int) -> dict[str, Any]:
    """The item as JSON; raises ItemNotFoundError."""
    return item_body(items.get(conn, item_id))
