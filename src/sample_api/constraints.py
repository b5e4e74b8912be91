"""Constraints on a typed value that cost no pydantic import: bounds, lengths, a pattern.

`Annotated[int, Constraints(ge=1, le=100)]` says what pydantic's `Field(ge=1, le=100)` says,
but defining it imports nothing. pydantic reads it through its `__get_pydantic_core_schema__`
hook, only when it builds a schema (/openapi.json, a test), so output models and GET
parameters publish the same JSON schema as before; params.py checks GET parameters with it.
"""

from __future__ import annotations

from typing import Any


class Constraints:
    """pydantic's constraint names and values: ge, le, min_length, max_length, pattern."""

    __slots__ = ("rules",)

    def __init__(self, **rules: int | str) -> None:
        self.rules = rules

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        # The core schema of int, str or list takes these keys itself (int_schema(ge=...)).
        schema = handler(source)
        schema.update(self.rules)
        return schema

    def __repr__(self) -> str:
        rules = ", ".join(f"{name}={value!r}" for name, value in self.rules.items())
        return f"Constraints({rules})"
