"""Which template values can change on a stack update, read from the templates and AWS's schemas.

CloudFormation refuses to change an export another stack imports ("Cannot update export ...
in use by ..."), so only values that never change may travel as exports. A value changes when
it depends on a condition, on a parameter that may be changed on an existing stage, or on a
resource that an update replaces: one whose create-only property (from the resource schemas
cfn-lint ships, the registry's own) depends on any of these.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# Parameters chosen when a stage is created and never changed on it (docs/deploy.md says so):
# a change would replace the network or the database under everything else.
FIXED_AT_CREATION = {
    "Project": "part of every stack's name",
    "Stage": "part of every stack's name",
    "VpcCidr": "the network of the stage",
    "PrivateSubnetACidr": "the network of the stage",
    "PrivateSubnetBCidr": "the network of the stage",
    "AvailabilityZoneIds": "the network of the stage",
    "DatabaseName": "a new name is a new database instance",
}


@cache
def _create_only(kind: str) -> tuple[str, ...]:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", kind).schema
    paths = schema.get("createOnlyProperties", [])
    return tuple(p.split("/")[2] for p in paths if p.startswith("/properties/"))


def why_it_changes(template: dict[str, Any], node: Any, seen: frozenset[str] = frozenset()) -> str:
    """Why the value can change on an update of its stack; "" when it cannot."""
    if isinstance(node, list):
        return next((r for r in (why_it_changes(template, n, seen) for n in node) if r), "")
    if not isinstance(node, dict):
        return ""
    for key, value in node.items():
        if key == "Fn::If":
            return f"it depends on the condition {value[0]}"
        if key == "Ref" or key == "Fn::GetAtt":
            name = value if isinstance(value, str) else value[0]
            reason = _name_changes(template, name.split(".")[0], seen)
        elif key == "Fn::Sub":
            text = value if isinstance(value, str) else value[0]
            names = [part.split("}")[0].split(".")[0] for part in text.split("${")[1:]]
            reason = next((r for r in (_name_changes(template, n, seen) for n in names) if r), "")
            if not reason and not isinstance(value, str):
                reason = why_it_changes(template, value[1], seen)
        else:
            reason = why_it_changes(template, value, seen)
        if reason:
            return reason
    return ""


def _name_changes(template: dict[str, Any], name: str, seen: frozenset[str]) -> str:
    if name.startswith("AWS::") or name in seen:
        return ""
    if name in template.get("Parameters", {}):
        return "" if name in FIXED_AT_CREATION else f"it depends on the parameter {name}"
    resource = template["Resources"].get(name)
    if resource is None:
        return ""
    if "Condition" in resource:
        return f"{name} exists only under the condition {resource['Condition']}"
    properties = resource.get("Properties", {})
    for prop in _create_only(resource["Type"]):
        reason = why_it_changes(template, properties.get(prop), seen | {name})
        if reason:
            return f"{name} is replaced when {prop} changes, and {reason}"
    return ""


def export_names(node: Any) -> list[Any]:
    """Every `Fn::ImportValue` argument in the node."""
    if isinstance(node, dict):
        found = [node["Fn::ImportValue"]] if "Fn::ImportValue" in node else []
        return found + [n for v in node.values() for n in export_names(v)]
    if isinstance(node, list):
        return [n for item in node for n in export_names(item)]
    return []
