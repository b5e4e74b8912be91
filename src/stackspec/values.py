"""Evaluate the few intrinsic functions the tooling needs, with the local stage's values."""

from __future__ import annotations

import re
from typing import Any

LOCAL_STAGE = "local"
PSEUDO = {
    "AWS::AccountId": "000000000000",
    "AWS::Region": "us-east-1",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}
_PLACEHOLDER = re.compile(r"\$\{([^}!]+)\}")


def scalar(node: Any, known: dict[str, str]) -> str | None:
    """A literal, a parameter or a `!Sub` of known names; None when only AWS can tell."""
    if isinstance(node, bool):
        return str(node).lower()
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, dict) and len(node) == 1:
        ((function, argument),) = node.items()
        if function == "Ref":
            return known.get(argument)
        if function == "Fn::Sub" and isinstance(argument, str):
            names = _PLACEHOLDER.findall(argument)
            if all(name in known for name in names):
                return _PLACEHOLDER.sub(lambda m: known[m.group(1)], argument)
    return None


def integer(node: Any, known: dict[str, str], default: int) -> int:
    """A number the template gives literally or through a parameter's default."""
    value = scalar(node, known)
    return default if value is None else int(value)


def referenced(node: Any) -> str | None:
    """The logical id a `!Ref X` or `!GetAtt X.Attr` points at."""
    if isinstance(node, dict) and len(node) == 1:
        ((function, argument),) = node.items()
        if function == "Ref" and isinstance(argument, str):
            return argument
        if function == "Fn::GetAtt" and isinstance(argument, list) and argument:
            return str(argument[0])
    return None


def walk(node: Any) -> Any:
    """Every node of a template subtree, depth first."""
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def imported_names(node: Any) -> set[str]:
    """The export names (without the `${Project}-${Stage}-` prefix) a subtree imports."""
    names = set()
    for item in walk(node):
        if isinstance(item, dict) and "Fn::ImportValue" in item:
            target = item["Fn::ImportValue"]
            text = target.get("Fn::Sub") if isinstance(target, dict) else target
            if isinstance(text, str):
                names.add(text.rsplit("}-", 1)[-1])
    return names


def substituted_refs(text: str) -> set[str]:
    """The names a `!Sub` string refers to, attributes stripped (`${Fn.Arn}` -> Fn)."""
    return {name.split(".", 1)[0] for name in _PLACEHOLDER.findall(text)}
