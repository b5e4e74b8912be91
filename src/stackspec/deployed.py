"""What operating a deployed stage reads from the templates: log groups and stack outputs.

Names keep `${Project}` and `${Stage}` in them, as `Function.deployed_name` does; `name_in`
fills them in for one stage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from stackspec import cfn_yaml
from stackspec.read import integrated_functions
from stackspec.values import referenced

if TYPE_CHECKING:
    from pathlib import Path

    from stackspec.model import Function, Stack

_PREFIX = "${Project}-${Stage}-"


@dataclass(frozen=True)
class LogGroup:
    """A log group and whose records it holds: one function's, or an API stage's access log."""

    name: str  # LogGroupName with ${Project} and ${Stage} left in
    source: str  # what its lines are labelled with: the function's name, or `<name>-access`
    functions: tuple[str, ...]  # the function it logs, or those the API sends requests to
    access_format: str | None = None  # an access log's Format: JSON of $context variables

    def name_in(self, project: str, stage: str) -> str:
        """Its name in one stage."""
        return self.name.replace("${Project}", project).replace("${Stage}", stage)

    def access_fields(self) -> dict[str, str]:
        """An access log's `$context.x` variables -> the JSON key each is written under."""
        return {} if self.access_format is None else dict(_fields(self.access_format))


def log_groups(stack: Stack) -> tuple[LogGroup, ...]:
    """Each function's log group, then each API stage's access log group, of one stack."""
    resources = _resources(stack.template)
    groups = [_function_group(function, resources) for function in stack.functions]
    for resource in resources.values():
        if resource["Type"] != "AWS::ApiGateway::Stage":
            continue
        setting = resource["Properties"].get("AccessLogSetting")
        group_id = referenced(setting.get("DestinationArn")) if setting else None
        if group_id is None:
            continue
        name = _group_name(resources[group_id])
        api = referenced(resource["Properties"]["RestApiId"])
        fronted = tuple(f.name for f in stack.functions if _integrates(resources, api, f))
        source = name.rsplit("/", 1)[-1].removeprefix(_PREFIX)
        groups.append(LogGroup(name, source, fronted, str(setting.get("Format") or "") or None))
    return tuple(groups)


def output_naming(stack: Stack, logical_id: str) -> str | None:
    """The output of the stack whose value is `!Ref logical_id`, if there is one."""
    outputs = cfn_yaml.loads(stack.template.read_text(encoding="utf-8")).get("Outputs", {})
    return next(
        (key for key, spec in outputs.items() if spec.get("Value") == {"Ref": logical_id}), None
    )


@cache
def _fields(access_format: str) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(key)) for key, value in json.loads(access_format).items())


@cache
def _resources(template: Path) -> dict[str, dict[str, Any]]:
    resources: dict[str, dict[str, Any]] = cfn_yaml.loads(template.read_text(encoding="utf-8")).get(
        "Resources", {}
    )
    return resources


def _function_group(function: Function, resources: dict[str, dict[str, Any]]) -> LogGroup:
    """LoggingConfig's group when set, else Lambda's default `/aws/lambda/<FunctionName>`."""
    config = resources[function.logical_id]["Properties"].get("LoggingConfig", {})
    group_id = referenced(config.get("LogGroup"))
    if group_id is not None and group_id in resources:
        name = _group_name(resources[group_id])
    else:
        name = f"/aws/lambda/{function.deployed_name}"
    return LogGroup(name, function.name, (function.name,))


def _group_name(resource: dict[str, Any]) -> str:
    name = resource["Properties"]["LogGroupName"]
    return str(name.get("Fn::Sub", name) if isinstance(name, dict) else name)


def _integrates(resources: dict[str, dict[str, Any]], api: str | None, function: Function) -> bool:
    """Whether a method of that REST API proxies to the function."""
    for resource in resources.values():
        props = resource.get("Properties", {})
        if resource["Type"] != "AWS::ApiGateway::Method" or referenced(props["RestApiId"]) != api:
            continue
        if function.logical_id in integrated_functions(props, resources):
            return True
    return False
