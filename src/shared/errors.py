"""One exception base, and one base per kind under it: retrying helps, or it never will.

Callers decide on a retry by the kind alone (`except TransientError`); handlers map the
leaves to responses. An error of neither kind is a bug.
"""

from __future__ import annotations


class AppError(Exception):
    """Base of every error this application raises on purpose."""


class TransientError(AppError):
    """A dependency failed or could not be reached; the same call may succeed later."""


class PermanentError(AppError):
    """The input or the configuration is wrong; the same call fails again however often retried."""


class SettingsError(PermanentError):
    """An environment variable is missing or holds a bad value."""


class DatabaseUnavailableError(TransientError):
    """PostgreSQL cannot be reached or stopped answering; the caller may retry later."""


class UserNotFoundError(AppError):
    """No user has the requested id."""


class EmailTakenError(AppError):
    """Another user already has this email, ignoring case."""


class InvalidCursorError(AppError):
    """A pagination cursor was not produced by this API."""
