"""Errors of the mirror, each of its kind (shared/errors.py): whether retrying can help."""

from __future__ import annotations

from shared.errors import PermanentError, TransientError


class InvalidChangeError(PermanentError):
    """The record can never apply: not a change of an item, or its image is no valid item."""


class NotTriedError(TransientError):
    """The record was not tried: the database failed on an earlier record of the same batch."""
