"""The /skeleton resource: its routes, and the statuses of its own errors.

Each route takes typed parameters (validated by Powertools), calls one action and returns data.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response  # noqa: TC002 (read at runtime)
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import Field

from shared.db import get_connection

from ..actions.create_item import create_item
from ..actions.get_item import get_item
from ..actions.list_items import list_items
from ..errors import ItemNotFoundError, ReferenceTakenError
from ..models import MAX_ID, NewItem
from ..web import created, error_response

router = Router()  # type: ignore[no-untyped-call]


@router.post("/skeleton")
def post_item(new_item: Annotated[NewItem, Body()]) -> Response[dict[str, Any]]:
    item = create_item(get_connection(), new_item)
    return created(item, f"/skeleton/{item['id']}")


@router.get("/skeleton/<item_id>")
def get_item_by_id(item_id: Annotated[int, Path(), Field(ge=1, le=MAX_ID)]) -> dict[str, Any]:
    return get_item(get_connection(), item_id)


@router.get("/skeleton")
def get_items(
    limit: Annotated[int, Query(), Field(ge=1, le=100)] = 20,
    after: Annotated[int, Query(), Field(ge=0, le=MAX_ID)] = 0,
) -> dict[str, Any]:
    return list_items(get_connection(), limit=limit, after=after)


def _item_not_found(exc: ItemNotFoundError) -> Response[dict[str, Any]]:
    return error_response(404, "item not found")


def _reference_taken(exc: ReferenceTakenError) -> Response[dict[str, Any]]:
    errors = [{"field": "body.reference", "message": "is already taken"}]
    return error_response(409, "reference already taken", errors=errors)


router.exception_handler(ItemNotFoundError)(_item_not_found)
router.exception_handler(ReferenceTakenError)(_reference_taken)
