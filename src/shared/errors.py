"""One exception base, and one base per kind under it: retrying helps, or it never will.

Each adapter (shared/db.py for psycopg, sample_event/aws/s3.py for botocore) translates its
driver's errors into these kinds in one place, so callers decide on a retry by the kind alone:
`except TransientError`. An error of neither kind is a bug.
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
    """PostgreSQL cannot be reached or stopped answering."""
