"""The JSON shape of an item, as the API returns it."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..daos.skeleton import Item


def item_body(item: Item) -> dict[str, Any]:
    """An item as a JSON-ready dict; created_at in RFC 3339, UTC."""
    created_at = item.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return {
        "id": item.id,
        "reference": item.reference,
        "quantity": item.quantity,
        "created_at": created_at,
    }
