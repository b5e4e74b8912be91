"""The message the consumer takes: its body is one JSON object with these fields, no others."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from pydantic import ValidationError

REFERENCE_MAX_LENGTH = 100
QUANTITY_MAX = 10_000


def _check_reference(value: str) -> str:
    value = value.strip()
    if not value or not value.isprintable():
        raise ValueError("must be printable text, not blank")
    return value


class Message(BaseModel):
    """A message's body. Unknown fields are rejected, so a producer's typo is not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    reference: Annotated[
        str, Field(max_length=REFERENCE_MAX_LENGTH), AfterValidator(_check_reference)
    ]
    quantity: Annotated[int, Field(ge=1, le=QUANTITY_MAX)]


def rejection_reason(exc: ValidationError) -> str:
    """Why a body is not a Message, field by field; never the body's own text."""
    reasons = []
    for error in exc.errors(include_input=False, include_url=False):
        if error["type"] == "json_invalid":
            return "the body is not valid JSON"
        field = ".".join(str(part) for part in error["loc"]) or "the body"
        reasons.append(f"{field}: {error['msg'].removeprefix('Value error, ')}")
    return "; ".join(reasons)
