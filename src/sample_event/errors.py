"""Errors of the import; each leaf says whether retrying can help."""

from __future__ import annotations

from shared.errors import AppError


class ImportFileError(AppError):
    """The object cannot be read as a CSV of users; nothing of it is imported, no retry helps."""


class ObjectGoneError(AppError):
    """The object version named by the event no longer exists (deleted or overwritten)."""


class StorageUnavailableError(AppError):
    """S3 could not be reached or refused the request; the caller may retry later."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code  # S3's error code, or the botocore error's name


class UnsupportedEventError(AppError):
    """The event is none of the shapes this function accepts."""
