"""Schemathesis hooks (SCHEMATHESIS_HOOKS): negative bodies that JSON Schema cannot express.

Schemathesis' negative bodies for POST /users that are not an object are `null`, `0`, `"AAA"`,
`[null, null]` or raw bytes. It never sends an array wrapping valid users (Powertools unwraps
a list into its first element: docs/operations.md) nor an object with a key twice (Python's
json keeps the last one). Every other such body is replaced by one of those, in turn.
Schemathesis judges each edited case again, so they stay negative and its checks demand a
4xx; each one sent is recorded in the file NEGATIVE_BODIES_LOG names, with its status.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis import GenerationMode

_ADA = {"name": "Ada Lovelace", "email": "ada@example.com"}
_ALAN = {"name": "Alan Turing", "email": "alan@example.com"}
BODIES: dict[str, Any] = {
    "array of one user": [_ADA],
    "array of two users": [_ADA, _ALAN],
    "duplicate name": b'{"name": "Ada", "name": "Eve", "email": "ada@example.com"}',
    "duplicate email": b'{"name": "Ada", "email": "ada@example.com", "email": "eve@example.com"}',
}
_turn = itertools.cycle(BODIES)
_replace = itertools.cycle([False, True])  # every other one: schemathesis' own bodies stay too


def _is_post_users(case: Any) -> bool:
    return bool(case.method.upper() == "POST" and case.path == "/users")


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    meta = case.meta
    if not _is_post_users(case) or meta is None or meta.generation.mode != GenerationMode.NEGATIVE:
        return case
    if isinstance(case.body, dict) or type(case.body).__name__ == "NotSet":
        return case  # a violation inside the object, or no body at all: keep it
    if not next(_replace):
        return case
    case.body = BODIES[next(_turn)]
    case.media_type = "application/json"
    return case


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    log = os.environ.get("NEGATIVE_BODIES_LOG")
    if not log or not _is_post_users(case):
        return
    for name, body in BODIES.items():
        if case.body == body:
            with Path(log).open("a", encoding="utf-8") as file:
                file.write(f"{name}\t{case.meta.generation.mode}\t{response.status_code}\n")
