"""Event parsing: a DynamoDB stream record of the profiles table as a Change to the mirror.

INSERT and MODIFY carry the item as it now is (NewImage: the stream must show new images);
REMOVE carries its key. A REMOVE made by DynamoDB's TTL (userIdentity: the service
dynamodb.amazonaws.com) is a deletion too, marked as expired. Anything that cannot be read
as such raises InvalidChangeError, whose message names the field and never its value.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.shared.dynamodb_deserializer import TypeDeserializer
from pydantic import TypeAdapter, ValidationError

from sample_stream.errors import InvalidChangeError
from sample_stream.models import Change, Profile
from shared.models import Email

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
        DynamoDBRecord,
    )

_EMAIL: TypeAdapter[str] = TypeAdapter(Email, config={"strict": True})
_DESERIALIZER = TypeDeserializer()
_TTL_IDENTITY = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
_PROFILE_ATTRIBUTES = tuple(Profile.model_fields)
_MAX_SEQUENCE_DIGITS = 40  # DynamoDB's sequence numbers are 21 to 40 digits long


def sequence_number(record: DynamoDBRecord) -> str | None:
    """The record's SequenceNumber as given (for logs and batchItemFailures), if it has one."""
    stream = record.get("dynamodb")
    value = stream.get("SequenceNumber") if isinstance(stream, dict) else None
    return value if isinstance(value, str) else None


def to_change(record: DynamoDBRecord) -> Change:
    """The change the record makes to the mirror; InvalidChangeError if it can never apply."""
    stream = record.get("dynamodb")
    if record.get("eventSource") != "aws:dynamodb" or not isinstance(stream, dict):
        raise InvalidChangeError("not a DynamoDB stream record")
    number = _sequence_number(sequence_number(record))
    changed_at = _changed_at(stream.get("ApproximateCreationDateTime"))
    event_name = record.get("eventName")
    if event_name == "REMOVE":
        email = _email(_item(stream.get("Keys"), "Keys").get("email"))
        expired = record.get("userIdentity") == _TTL_IDENTITY
        return Change(email, number, changed_at, None, "expired" if expired else "removed")
    if event_name in ("INSERT", "MODIFY"):
        image = stream.get("NewImage")
        if image is None:
            raise InvalidChangeError("no NewImage: the stream must carry new images")
        profile = _profile(_item(image, "NewImage"))
        return Change(profile.email, number, changed_at, profile)
    raise InvalidChangeError("eventName is none of INSERT, MODIFY, REMOVE")


def _sequence_number(value: str | None) -> int:
    if not value or not value.isascii() or not value.isdigit():
        raise InvalidChangeError("SequenceNumber is not a string of digits")
    if len(value) > _MAX_SEQUENCE_DIGITS:
        raise InvalidChangeError(f"SequenceNumber is longer than {_MAX_SEQUENCE_DIGITS} digits")
    return int(value)


def _changed_at(value: Any) -> datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    return datetime.now(UTC)  # not in the record: the change is at most seconds old


def _item(attributes: Any, where: str) -> dict[str, Any]:
    """The attributes a profile has, as plain Python values (N: Decimal, SS: set); others left out.

    Only the model's attributes are converted: an item may carry many more, and each costs.
    """
    if not isinstance(attributes, dict):
        raise InvalidChangeError(f"{where} is not a map of attributes")
    try:
        return {
            name: _DESERIALIZER.deserialize(attributes[name])
            for name in _PROFILE_ATTRIBUTES
            if name in attributes
        }
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError):
        raise InvalidChangeError(f"{where} holds a value that is no DynamoDB attribute") from None


def _profile(image: dict[str, Any]) -> Profile:
    try:
        return Profile.model_validate(image)
    except ValidationError as exc:
        raise _invalid(exc, "NewImage") from None


def _email(value: Any) -> str:
    try:
        return _EMAIL.validate_python(value)
    except ValidationError as exc:
        raise _invalid(exc, "email") from None


def _invalid(exc: ValidationError, where: str) -> InvalidChangeError:
    # The messages name the field and the rule, never the value (no profile data in logs).
    reasons = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"]) or where
        reasons.append(f"{field}: {error['msg'].removeprefix('Value error, ')}")
    return InvalidChangeError("; ".join(reasons))
