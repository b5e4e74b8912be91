"""One exception base for the application; handlers map the leaves to responses."""

from __future__ import annotations


class AppError(Exception):
    """Base of every error this application raises on purpose."""


class SettingsError(AppError):
    """An environment variable is missing or holds a bad value."""


class DatabaseUnavailableError(AppError):
    """PostgreSQL cannot be reached or stopped answering; the caller may retry later."""


class UserNotFoundError(AppError):
    """No user has the requested id."""


class EmailTakenError(AppError):
    """Another user already has this email, ignoring case."""


class InvalidCursorError(AppError):
    """A pagination cursor was not produced by this API."""
