"""The input model of a user, shared by POST /users and the CSV importer."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254


def _reject_unprintable(value: str) -> str:
    # Cc covers NUL and the other control characters; Cs catches lone surrogates,
    # which JSON can carry but UTF-8 (and so PostgreSQL) cannot store.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
        raise ValueError("must not contain control characters")
    return value


def _check_name(value: str) -> str:
    value = _reject_unprintable(value).strip()
    if not 1 <= len(value) <= NAME_MAX_LENGTH:
        raise ValueError(f"must be 1 to {NAME_MAX_LENGTH} characters after trimming")
    return value


def _check_email(value: str) -> str:
    # Imported on first use: email_validator (with idna) costs ~60 ms, and only writes need it.
    from email_validator import EmailNotValidError, validate_email

    _reject_unprintable(value)
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"is not a valid email address: {exc}") from None
    return value  # stored as given; uniqueness ignores case in SQL


class NewUser(BaseModel):
    """A user to create. Unknown fields are rejected, so nothing is mass-assigned."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: Annotated[str, Field(max_length=NAME_MAX_LENGTH * 4), AfterValidator(_check_name)]
    email: Annotated[
        str,
        Field(min_length=3, max_length=EMAIL_MAX_LENGTH, json_schema_extra={"format": "email"}),
        AfterValidator(_check_email),
    ]
