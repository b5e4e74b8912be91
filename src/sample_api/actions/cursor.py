"""Opaque pagination cursors: URL-safe base64 of a small JSON object holding the last id."""

from __future__ import annotations

import base64
import binascii
import json

from shared.errors import InvalidCursorError

MAX_CURSOR_LENGTH = 64
_MAX_ID = 2**63 - 1


def encode_cursor(last_id: int) -> str:
    """The cursor that continues after `last_id`."""
    raw = json.dumps({"after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str) -> int:
    """The id a cursor continues after; raises InvalidCursorError for anything we did not issue."""
    if len(cursor) > MAX_CURSOR_LENGTH or not cursor.isascii():
        raise InvalidCursorError("cursor is not valid")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.b64decode(padded, altchars=b"-_", validate=True)
        after = json.loads(raw)["after"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise InvalidCursorError("cursor is not valid") from None
    # bool is an int subclass: {"after": true} is not a cursor we issued.
    if type(after) is not int or not 0 <= after <= _MAX_ID:
        raise InvalidCursorError("cursor is not valid")
    return after
