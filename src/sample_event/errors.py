"""Errors of the import, each of its kind (shared/errors.py): whether retrying can help."""

from __future__ import annotations

from shared.errors import PermanentError, TransientError


class ImportFileError(PermanentError):
    """The object cannot be read as a CSV of users; nothing of it is imported."""


class ObjectGoneError(PermanentError):
    """The object version named by the event no longer exists (deleted or overwritten)."""


class StorageUnavailableError(TransientError):
    """S3 could not be reached or refused the request."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code  # S3's error code, or the botocore error's name


class UnsupportedEventError(PermanentError):
    """The event is none of the shapes this function accepts."""
