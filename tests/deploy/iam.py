"""Enough of IAM's policy evaluation to check a role's scope: actions and resources.

An explicit Deny wins, then any Allow; wildcards as IAM has them (`*` any run, `?` one
character), actions without regard to case. Conditions are not evaluated: they only narrow what
an Allow grants, so a check that a call is allowed may pass here and still be refused in AWS.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from typing import Any


def statements(document: Any) -> list[dict[str, Any]]:
    """The statements of a policy document (moto returns inline ones as a Python repr)."""
    if isinstance(document, str):
        document = ast.literal_eval(document)
    found = document["Statement"]
    return list(found) if isinstance(found, list) else [found]


def allowed(policy: list[dict[str, Any]], action: str, resource: str = "*") -> bool:
    """Whether the statements allow the action on the resource ("*": on some resource)."""
    granted = False
    for statement in policy:
        if not _matches(statement, action, resource):
            continue
        if statement["Effect"] == "Deny":
            return False
        granted = True
    return granted


def _matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    actions = _listed(statement["Action"])
    resources = _listed(statement.get("Resource", "*"))
    if not any(_pattern(a, ignore_case=True).fullmatch(action) for a in actions):
        return False
    if resource == "*":  # some resource: an Allow of any, a Deny only of every one
        return statement["Effect"] == "Allow" or "*" in resources
    return any(_pattern(r).fullmatch(resource) for r in resources)


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@cache
def _pattern(wildcard: str, *, ignore_case: bool = False) -> re.Pattern[str]:
    text = re.escape(wildcard).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(text, re.IGNORECASE if ignore_case else 0)


def prefixes(policy: list[dict[str, Any]]) -> set[str]:
    """The services an Allow statement grants some action of."""
    return {
        action.split(":", 1)[0].lower()
        for statement in policy
        if statement["Effect"] == "Allow"
        for action in _listed(statement["Action"])
    }
