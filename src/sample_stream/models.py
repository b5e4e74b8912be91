"""The values passed between the layers of the mirror: a validated profile, and a change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from shared.models import Email, Name  # noqa: TC001 (pydantic reads the annotations at runtime)

if TYPE_CHECKING:
    from typing import Literal

# A BCP 47 language tag in its common shapes: "en", "pt-BR", "zh-Hant-TW".
Locale = Annotated[str, Field(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]
OptIn = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


def _sorted_set(value: Any) -> Any:
    # A string set (SS) arrives as a Python set: store it sorted, so that equal sets compare equal.
    return sorted(value) if isinstance(value, set | frozenset) else value


def _epoch_seconds(value: Any) -> Any:
    # DynamoDB's TTL attribute is a number (N) of seconds since the epoch; anything else is not
    # a TTL to DynamoDB either.
    if value is None:
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value() and value >= 0:
        return datetime.fromtimestamp(int(value), UTC)
    raise ValueError("must be a whole number (N) of seconds since the epoch")


class Profile(BaseModel):
    """A profile item, from a record's NewImage. Attributes it does not name are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)

    email: Email
    display_name: Name
    locale: Locale | None = None
    opt_ins: Annotated[list[OptIn], BeforeValidator(_sorted_set), Field(max_length=100)] = []
    expires_at: Annotated[datetime | None, BeforeValidator(_epoch_seconds)] = None


@dataclass(frozen=True, slots=True)
class Change:
    """One stream record, validated: the item as it now is, or the deletion of its key."""

    email: str
    sequence_number: int  # the record's SequenceNumber; later changes of a key have larger ones
    changed_at: datetime  # when DynamoDB made the change
    profile: Profile | None  # None: the item was deleted
    deletion: Literal["removed", "expired"] | None = None  # set when profile is None
