"""Output models: they document responses in /openapi.json; tests hold responses to them.

Strict on purpose (no extra fields, bounded strings): the fuzzer's response-schema check
then catches a response that grows a field or leaks one. Plain dataclasses, so that defining
them imports nothing: pydantic reads them (config, constraints) only when it builds the
document, and tests validate a response with `TypeAdapter(UserOut).validate_python(body)`.
Only __init__ is generated (repr=False, eq=False): each generated method is code compiled at
import, and nothing compares or prints these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime  # noqa: TC003 (pydantic resolves annotations at runtime)
from typing import Annotated, Any

from sample_api.constraints import Constraints
from shared.limits import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH

_STRICT: Any = {"extra": "forbid"}  # pydantic's ConfigDict, read from __pydantic_config__


@dataclass(repr=False, eq=False)
class UserOut:
    """A user as the API returns it."""

    __pydantic_config__ = _STRICT

    id: Annotated[int, Constraints(ge=1)]
    name: Annotated[str, Constraints(min_length=1, max_length=NAME_MAX_LENGTH)]
    email: Annotated[str, Constraints(min_length=3, max_length=EMAIL_MAX_LENGTH)]
    created_at: datetime


@dataclass(repr=False, eq=False)
class UserPage:
    """One page of users in id order; next_cursor is null on the last page."""

    __pydantic_config__ = _STRICT

    items: Annotated[list[UserOut], Constraints(max_length=100)]
    next_cursor: str | None


@dataclass(repr=False, eq=False)
class FieldError:
    """Which field failed validation, and why."""

    __pydantic_config__ = _STRICT

    field: str
    message: str


@dataclass(repr=False, eq=False)
class ErrorOut:
    """Every error body: a human message, the failed fields for validation, the request id."""

    __pydantic_config__ = _STRICT

    message: str
    errors: list[FieldError] | None = None
    request_id: str | None = None
