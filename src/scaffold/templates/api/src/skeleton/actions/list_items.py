"""GET the collection: one page of items in id order, and where the next page starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..services import items
from .shapes import item_body

if TYPE_CHECKING:
    import psycopg


def list_items(conn: psycopg.Connection[Any], *, limit: int, after: int) -> dict[str, Any]:
    """`{"items": [...], "next_after": int | None}`: the page after the id `after`."""
    page = items.page(conn, after_id=after, limit=limit)
    next_after = page.items[-1].id if page.has_more else None
    return {"items": [item_body(item) for item in page.items], "next_after": next_after}
