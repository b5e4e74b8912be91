"""CloudFormation templates as data: read (YAML short-form tags or JSON), evaluate, write.

The tool reads the templates it deploys to wire stacks together, to check the account before
the first stack and to set what only a rendering can set (the API deployment's identity).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from stackspec import cfn_yaml

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

Template = dict[str, Any]


def load(text: str) -> Template:
    """The template as plain dicts and lists, in the long form (`Fn::Sub`, `Ref`...)."""
    if text.lstrip().startswith("{"):
        data = json.loads(text)
    else:
        data = cfn_yaml.loads(text)
    if not isinstance(data, dict) or "Resources" not in data:
        raise ValueError("not a CloudFormation template (no Resources)")
    return data


def dump(template: Template) -> str:
    """The TemplateBody CloudFormation receives: compact JSON (a body is at most 51,200 bytes)."""
    return json.dumps(template, separators=(",", ":"))


def resources(template: Template, kind: str) -> dict[str, dict[str, Any]]:
    """The template's resources of one type, by logical ID."""
    return {k: v for k, v in template["Resources"].items() if v.get("Type") == kind}


def defaults(template: Template) -> dict[str, str]:
    """The declared parameters' defaults, as CloudFormation would pass them (strings)."""
    return {
        name: _as_text(spec["Default"])
        for name, spec in template.get("Parameters", {}).items()
        if "Default" in spec
    }


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def evaluate(node: Any, parameters: Mapping[str, str]) -> Any:
    """A property's value given the parameters: `Ref` to a parameter and `Fn::Sub` of them.

    Enough for names, timeouts and concurrency; anything else (a resource's attribute) is
    returned unevaluated.
    """
    if isinstance(node, dict) and len(node) == 1:
        ((key, value),) = node.items()
        if key == "Ref" and value in parameters:
            return parameters[value]
        if key == "Fn::Sub" and isinstance(value, str):
            text = value
            for name, given in parameters.items():
                text = text.replace("${" + name + "}", given)
            return text
    return node


def references(node: Any) -> Iterator[str]:
    """Every name the node refers to: `Ref`, `Fn::GetAtt`, `${...}` in `Fn::Sub`, conditions."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                yield value
            elif key == "Fn::GetAtt":
                yield (value.split(".")[0] if isinstance(value, str) else value[0])
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                yield from (part.split("}")[0].split(".")[0] for part in text.split("${")[1:])
                if not isinstance(value, str):
                    yield from references(value[1])
            elif key == "Condition" and isinstance(value, str):
                yield value
            elif key == "Fn::If":
                yield value[0]
                yield from references(value[1:])
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)
