"""Opaque pagination cursors: the last id as 8 big-endian bytes, URL-safe base64, unpadded.

The format is chosen so that CURSOR_PATTERN describes it exactly: every string it matches
decodes to an id in 0..2**63-1, and every other string is refused. /openapi.json publishes
the pattern, so a client (or a fuzzer) can tell a well-formed cursor from a bad one, and the
route validates the query string against it: a bad cursor is a 422 before this module runs.
"""

from __future__ import annotations

import base64
import re

# 11 characters carry 66 bits: the first (6 bits) is below 32, so the id fits a signed
# bigint; the last carries 4 bits and two zero bits, so each id has exactly one spelling.
CURSOR_PATTERN = "^[A-Za-f][A-Za-z0-9_-]{9}[AEIMQUYcgkosw048]$"
_CURSOR = re.compile(CURSOR_PATTERN.removesuffix("$") + r"\Z")


def encode_cursor(last_id: int) -> str:
    """The cursor that continues after `last_id`."""
    return base64.urlsafe_b64encode(last_id.to_bytes(8, "big")).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str) -> int:
    """The id a cursor continues after; raises ValueError for a string CURSOR_PATTERN refuses."""
    if _CURSOR.match(cursor) is None:
        raise ValueError("cursor is not valid")
    return int.from_bytes(base64.urlsafe_b64decode(cursor + "="), "big")
