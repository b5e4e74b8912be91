"""Stack outputs fed to later stacks as parameters, matched by name.

A value that changes on update (a layer version, the database host when the proxy is turned
on) cannot travel as an export: CloudFormation refuses to change an export another stack
imports, and every later update rolls back. So a later stack declares a parameter named after
the earlier stack's output, and the tool passes the output's value at deploy time.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from deploytools import template, zones

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from deploytools.plan import StackDeploy
    from deploytools.template import Template


def with_inputs(stacks: list[StackDeploy]) -> list[StackDeploy]:
    """The stacks, each with the parameters an earlier stack's output of the same name feeds."""
    bodies = [
        (step.stack, template.load(step.template.read_text(encoding="utf-8"))) for step in stacks
    ]
    return [
        replace(step, inputs={k: v for k, v in fed.items() if k not in step.parameters})
        for step, fed in zip(stacks, feeds(bodies), strict=True)
    ]


def feeds(bodies: Sequence[tuple[str, Template]]) -> list[dict[str, str]]:
    """For each (stack, template) in deploy order, its parameters fed by the deploy -> source.

    The source is the earlier stack whose output of the same name feeds it, or the zones
    lookup for the network's zones. These parameters are never in a stage file.
    """
    producers: dict[str, str] = {}
    found = []
    for stack, body in bodies:
        declared = body.get("Parameters", {})
        fed = {name: producers[name] for name in declared if name in producers}
        if zones.PARAMETER in declared:
            fed[zones.PARAMETER] = zones.SOURCE
        found.append(fed)
        for key in body.get("Outputs", {}):
            if key in producers:
                raise ValueError(f"{stack} and {producers[key]} both output {key}")
            producers[key] = stack
    return found


def input_values(step: StackDeploy, outputs: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The step's inputs, read from the outputs of the stacks deployed before it."""
    values = {}
    for name, producer in step.inputs.items():
        if producer == zones.SOURCE:
            continue  # looked up in the account (zones.values)
        value = outputs.get(producer, {}).get(name)
        if value is None:
            raise RuntimeError(
                f"{step.stack} needs the output {name} of {producer}, which has none"
            )
        values[name] = value
    return values


def placeholder(name: str, producer: str) -> str:
    """How `make deploy-plan` shows a value only the deploy knows."""
    return f"<{name} from {producer}>"
