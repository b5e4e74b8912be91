"""Errors of the import; each leaf says whether retrying can help."""

from __future__ import annotations

from shared.errors import AppError


class ImportFileError(AppError):
    """The object cannot be read as a CSV of users; nothing of it is imported, no retry helps."""


class ObjectTooLargeError(AppError):
    """The object is larger than one invocation can import; no retry helps."""

    def __init__(self, size: int) -> None:
        super().__init__(f"the object is {size:,} bytes")
        self.size = size


class ObjectGoneError(AppError):
    """The object version named by the event no longer exists (deleted or overwritten)."""


class StorageUnavailableError(AppError):
    """S3 could not be reached or refused the request; the caller may retry later."""


class UnsupportedEventError(AppError):
    """The event is none of the shapes this function accepts."""
