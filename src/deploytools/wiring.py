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
    from collections.abc import Mapping

    from deploytools.plan import StackDeploy


def with_inputs(stacks: list[StackDeploy]) -> list[StackDeploy]:
    """The stacks, each with the parameters an earlier stack's output of the same name feeds."""
    producers: dict[str, str] = {}
    linked = []
    for step in stacks:
        body = template.load(step.template.read_text(encoding="utf-8"))
        inputs = {
            name: producers[name]
            for name in body.get("Parameters", {})
            if name in producers and name not in step.parameters
        }
        if zones.PARAMETER in body.get("Parameters", {}) and zones.PARAMETER not in step.parameters:
            inputs[zones.PARAMETER] = zones.SOURCE
        linked.append(replace(step, inputs=inputs))
        for key in body.get("Outputs", {}):
            if key in producers:
                raise ValueError(f"{step.stack} and {producers[key]} both output {key}")
            producers[key] = step.stack
    return linked


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
