"""Item rules: a reference names one item; lookups by id; pages in id order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..daos import skeleton as skeleton_dao
from ..errors import ItemNotFoundError, ReferenceTakenError

if TYPE_CHECKING:
    import psycopg

    from ..daos.skeleton import Item


@dataclass(frozen=True, slots=True)
class Page:
    """Items in id order, and whether more follow the last one."""

    items: list[Item]
    has_more: bool


def create(conn: psycopg.Connection[Any], *, reference: str, quantity: int) -> Item:
    """Create an item; raises ReferenceTakenError when its reference exists."""
    with conn.transaction():
        item = skeleton_dao.insert(conn, reference=reference, quantity=quantity)
    if item is None:
        raise ReferenceTakenError(reference)
    return item


def get(conn: psycopg.Connection[Any], item_id: int) -> Item:
    """The item with this id; raises ItemNotFoundError."""
    item = skeleton_dao.select_by_id(conn, item_id)
    if item is None:
        raise ItemNotFoundError(item_id)
    return item


def page(conn: psycopg.Connection[Any], *, after_id: int, limit: int) -> Page:
    """The next `limit` items after `after_id`."""
    # One extra row tells whether another page exists, without a COUNT.
    rows = skeleton_dao.select_page(conn, after_id=after_id, limit=limit + 1)
    return Page(items=rows[:limit], has_more=len(rows) > limit)
