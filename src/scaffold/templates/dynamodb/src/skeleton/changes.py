"""A DynamoDB stream record as the Change it makes to the mirror, or InvalidChangeError.

INSERT and MODIFY carry the item as it now is (NewImage: the stream shows new images);
REMOVE carries its key, and a deletion by DynamoDB's TTL is a REMOVE like any other. The
error's message names the field and the rule, never the value.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from .errors import InvalidChangeError
from .models import Change, Item, Reference

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
        DynamoDBRecord,
    )

_REFERENCE: TypeAdapter[str] = TypeAdapter(Reference, config={"strict": True})
_MAX_SEQUENCE_DIGITS = 40  # DynamoDB's sequence numbers are 21 to 40 digits long


def sequence_number(record: DynamoDBRecord) -> str | None:
    """The record's SequenceNumber as given (for logs), if it has one."""
    stream = record.get("dynamodb")
    value = stream.get("SequenceNumber") if isinstance(stream, dict) else None
    return value if isinstance(value, str) else None


def to_change(record: DynamoDBRecord) -> Change:
    """The change the record makes; InvalidChangeError if it can never apply."""
    stream = record.dynamodb if isinstance(record.get("dynamodb"), dict) else None
    if record.event_source != "aws:dynamodb" or stream is None:
        raise InvalidChangeError("not a DynamoDB stream record")
    number = _sequence_number(stream.sequence_number)
    changed_at = _changed_at(stream.get("ApproximateCreationDateTime"))
    event_name = record.get("eventName")
    if event_name == "REMOVE":
        keys = _attributes(lambda: stream.keys, "Keys")
        return Change(_reference(keys.get("reference")), number, changed_at, None)
    if event_name in ("INSERT", "MODIFY"):
        if stream.get("NewImage") is None:
            raise InvalidChangeError("no NewImage: the stream must show new images")
        item = _item(_attributes(lambda: stream.new_image, "NewImage"))
        return Change(item.reference, number, changed_at, item)
    raise InvalidChangeError("eventName is none of INSERT, MODIFY, REMOVE")


def _sequence_number(value: Any) -> int:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise InvalidChangeError("SequenceNumber is not a string of digits")
    if len(value) > _MAX_SEQUENCE_DIGITS:
        raise InvalidChangeError(f"SequenceNumber is longer than {_MAX_SEQUENCE_DIGITS} digits")
    return int(value)


def _changed_at(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)  # not in the record: the change is at most seconds old


def _attributes(read: Callable[[], dict[str, Any]], where: str) -> dict[str, Any]:
    """Powertools' conversion of typed attributes (N: Decimal, SS: set) to Python values."""
    try:
        return read()
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError):
        raise InvalidChangeError(f"{where} is not a map of DynamoDB attributes") from None


def _item(image: dict[str, Any]) -> Item:
    try:
        return Item.model_validate(image)
    except ValidationError as exc:
        raise _invalid(exc, "NewImage") from None


def _reference(value: Any) -> str:
    try:
        return _REFERENCE.validate_python(value)
    except ValidationError as exc:
        raise _invalid(exc, "reference") from None


def _invalid(exc: ValidationError, where: str) -> InvalidChangeError:
    reasons = []
    for error in exc.errors(include_input=False, include_url=False):
        field = ".".join(str(part) for part in error["loc"]) or where
        reasons.append(f"{field}: {error['msg'].removeprefix('Value error, ')}")
    return InvalidChangeError("; ".join(reasons))
