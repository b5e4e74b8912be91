"""Drift: a deployed stack's parameter values that differ from its stage file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deploytools import cloudformation

if TYPE_CHECKING:
    from collections.abc import Mapping

# What DescribeStacks shows for a NoEcho parameter: its value cannot be compared.
_HIDDEN = "****"


def deployed(cfn: Any, stack_name: str) -> dict[str, str] | None:
    """The stack's parameter values as deployed; None when the stack does not exist."""
    if cloudformation.stack_status(cfn, stack_name) in (None, *cloudformation.DEAD_ON_ARRIVAL):
        return None
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {
        p["ParameterKey"]: str(p.get("ParameterValue", "")) for p in stack.get("Parameters", [])
    }


def differences(
    deployed: Mapping[str, str], wanted: Mapping[str, str]
) -> list[tuple[str, str | None, str]]:
    """(parameter, deployed value or None when not deployed yet, stage file's value)."""
    return [
        (name, deployed.get(name), value)
        for name, value in wanted.items()
        if deployed.get(name) != value and deployed.get(name) != _HIDDEN
    ]


def lines(stack_name: str, found: list[tuple[str, str | None, str]]) -> list[str]:
    """The drift of one stack, one line per parameter."""
    if not found:
        return [f"{stack_name}: no drift (every deployed value is the stage file's)"]
    width = max(len(name) for name, _, _ in found)
    return [f"{stack_name}: drift, deployed -> stage file:"] + [
        f"  {name:<{width}}  {'(not deployed yet)' if old is None else old} -> {new}"
        for name, old, new in found
    ]
