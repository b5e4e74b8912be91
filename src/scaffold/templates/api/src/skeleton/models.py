"""The input model of an item, as POST takes it: unknown fields are refused."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

REFERENCE_MAX_LENGTH = 100
QUANTITY_MAX = 10_000
MAX_ID = 2**63 - 1  # the table's bigint


def _check_reference(value: str) -> str:
    value = value.strip()
    if not value or not value.isprintable():
        raise ValueError("must be printable text, not blank")
    return value


class NewItem(BaseModel):
    """An item to create. Unknown fields are rejected, so nothing is mass-assigned."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    reference: Annotated[
        str, Field(max_length=REFERENCE_MAX_LENGTH), AfterValidator(_check_reference)
    ]
    quantity: Annotated[int, Field(ge=1, le=QUANTITY_MAX)]
