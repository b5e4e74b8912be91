"""The API's own errors; routes/ gives each its status, services raise them."""

from __future__ import annotations

from shared.errors import PermanentError


class UserNotFoundError(PermanentError):
    """No user has the requested id."""


class EmailTakenError(PermanentError):
    """Another user already has this email, ignoring case."""
