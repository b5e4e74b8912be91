"""Errors of the recorder; the handler decides by them whether a message comes back."""

from __future__ import annotations

from shared.errors import AppError


class NotANotificationError(AppError):
    """The message is no S3 notification; no retry can change that."""


class ObjectGoneError(AppError):
    """The object version the notification names no longer exists (deleted or overwritten)."""


class StorageUnavailableError(AppError):
    """S3 could not be reached or refused the request; the caller may retry later."""
