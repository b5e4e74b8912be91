"""The values passed between the layers: an item as the stream shows it, and one change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

if TYPE_CHECKING:
    from datetime import datetime

Reference = Annotated[str, Field(min_length=1, max_length=100)]


def _whole_number(value: Any) -> Any:
    # A DynamoDB number (N) arrives as a Decimal: a whole one is an int, anything else fails.
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value


class Item(BaseModel):
    """An item, from a record's NewImage. Attributes it does not name are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)

    reference: Reference
    quantity: Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=10_000)]


@dataclass(frozen=True, slots=True)
class Change:
    """One stream record, validated: the item as it now is, or the deletion of its key."""

    reference: str
    sequence_number: int  # later changes of a key have larger ones
    changed_at: datetime  # when DynamoDB made the change
    item: Item | None  # None: the item was deleted
