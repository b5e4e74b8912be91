"""Output models: they document responses in /openapi.json; tests hold responses to them.

Strict on purpose (no extra fields, bounded strings): the fuzzer's response-schema check
then catches a response that grows a field or leaks one.
"""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 (pydantic resolves annotations at runtime)
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.models import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH

_STRICT = ConfigDict(extra="forbid")


class UserOut(BaseModel):
    """A user as the API returns it."""

    model_config = _STRICT

    id: Annotated[int, Field(ge=1)]
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX_LENGTH)]
    email: Annotated[str, Field(min_length=3, max_length=EMAIL_MAX_LENGTH)]
    created_at: datetime


class UserPage(BaseModel):
    """One page of users in id order; next_cursor is null on the last page."""

    model_config = _STRICT

    items: Annotated[list[UserOut], Field(max_length=100)]
    next_cursor: str | None


class FieldError(BaseModel):
    """Which field failed validation, and why."""

    model_config = _STRICT

    field: str
    message: str


class ErrorOut(BaseModel):
    """Every error body: a human message, the failed fields for validation, the request id."""

    model_config = _STRICT

    message: str
    errors: list[FieldError] | None = None
    request_id: str | None = None
