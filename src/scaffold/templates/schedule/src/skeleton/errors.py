"""Errors of the job."""

from __future__ import annotations

from shared.errors import AppError


class InvalidEventError(AppError):
    """The event is no EventBridge Scheduled Event with a time; no retry can change that."""
