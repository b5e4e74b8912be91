"""Errors of the items; the routes give them their statuses."""

from __future__ import annotations

from shared.errors import AppError


class ItemNotFoundError(AppError):
    """No item has the requested id."""


class ReferenceTakenError(AppError):
    """Another item already has this reference."""
