"""Output models: they document responses in /openapi.json; tests hold responses to them."""

from __future__ import annotations

from datetime import datetime  # noqa: TC003 (pydantic resolves annotations at runtime)

from pydantic import BaseModel


class UserOut(BaseModel):
    """A user as the API returns it."""

    id: int
    name: str
    email: str
    created_at: datetime


class UserPage(BaseModel):
    """One page of users in id order; next_cursor is null on the last page."""

    items: list[UserOut]
    next_cursor: str | None


class FieldError(BaseModel):
    """Which field failed validation, and why."""

    field: str
    message: str


class ErrorOut(BaseModel):
    """Every error body: a human message, the failed fields for validation, the request id."""

    message: str
    errors: list[FieldError] | None = None
    request_id: str | None = None
