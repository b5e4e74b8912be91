"""POST: create an item from a validated NewItem."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.log import get_logger

from ..services import items
from .shapes import item_body

if TYPE_CHECKING:
    import psycopg

    from ..models import NewItem


def create_item(conn: psycopg.Connection[Any], new_item: NewItem) -> dict[str, Any]:
    """The created item as JSON; raises ReferenceTakenError."""
    item = items.create(conn, reference=new_item.reference, quantity=new_item.quantity)
    get_logger().info("item created", extra={"item_id": item.id})
    return item_body(item)
