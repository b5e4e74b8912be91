"""SnapStart in the API template: off by default and then absent, on through a version and alias."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from stackspec.values import walk
from tests.deploy.templates import load

TEMPLATE = "apigateway-lambda"
# Function properties a version does not copy: the name (a new function is a new version
# anyway) and the concurrency reserved for the function as a whole.
UNVERSIONED = {"FunctionName", "ReservedConcurrentExecutions"}
# Parameters that need not be in the description: the function's name (Project, Stage), and
# the bucket (keys are content-addressed: the same key is the same code in any bucket).
NAMING = {"Project", "Stage", "ArtifactsBucket"}
# Resources that are replaced, with a new ARN, whenever one of their inputs changes: the
# function's configuration changes with them. (A role or a log group changes in place.)
IMMUTABLE = {"AWS::Lambda::LayerVersion"}


def _resources() -> dict[str, Any]:
    resources: dict[str, Any] = load(TEMPLATE)["Resources"]
    return resources


def _settings_digest(function: dict[str, Any]) -> str:
    versioned = {k: v for k, v in function["Properties"].items() if k not in UNVERSIONED}
    return hashlib.sha256(json.dumps(versioned, sort_keys=True).encode()).hexdigest()[:12]


def _parameters(node: Any, resources: dict[str, Any], parameters: set[str]) -> set[str]:
    """The parameters a subtree depends on, through the immutable resources it references."""
    found: set[str] = set()
    for item in walk(node):
        if not isinstance(item, dict) or len(item) != 1:
            continue
        ((function, argument),) = item.items()
        names: set[str] = set()
        if function == "Ref":
            names = {argument}
        elif function == "Fn::GetAtt":
            names = {argument[0]}
        elif function == "Fn::Sub" and isinstance(argument, str):
            names = {n.split(".")[0] for n in re.findall(r"\$\{([^}!]+)\}", argument)}
        for name in names:
            if name in parameters:
                found.add(name)
            elif resources.get(name, {}).get("Type") in IMMUTABLE:
                found |= _parameters(resources[name].get("Properties"), resources, parameters)
    return found


def test_a_new_version_is_published_whenever_the_function_changes() -> None:
    resources = _resources()
    function, version = resources["ApiFunction"], resources["ApiVersion"]
    description = version["Properties"]["Description"]["Fn::Sub"]
    digest = _settings_digest(function)
    assert f"settings {digest}" in description, (
        f"ApiFunction changed: write `settings {digest}` in ApiVersion's description"
    )
    parameters = set(load(TEMPLATE)["Parameters"])
    versioned = {k: v for k, v in function["Properties"].items() if k not in UNVERSIONED}
    inputs = _parameters(versioned, resources, parameters) - NAMING
    assert inputs, "no parameter found: the walk is broken"
    assert {name for name in inputs if f"${{{name}}}" not in description} == set()


def test_with_snapstart_off_api_gateway_calls_the_function_itself() -> None:
    resources = _resources()
    for name in ("ApiVersion", "ApiLiveAlias"):
        assert resources[name]["Condition"] == "UseSnapStart", name
    snapstart = resources["ApiFunction"]["Properties"]["SnapStart"]["Fn::If"]
    assert snapstart == ["UseSnapStart", {"ApplyOn": "PublishedVersions"}, {"Ref": "AWS::NoValue"}]
    function_uri = (
        "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
        "${ApiFunction.Arn}/invocations"
    )
    alias_uri = function_uri.replace("${ApiFunction.Arn}", "${ApiLiveAlias}")
    for method in ("RootMethod", "ProxyMethod"):
        uri = resources[method]["Properties"]["Integration"]["Uri"]["Fn::If"]
        assert uri == ["UseSnapStart", {"Fn::Sub": alias_uri}, {"Fn::Sub": function_uri}]
    permission = resources["ApiInvokePermission"]["Properties"]["FunctionName"]["Fn::If"]
    assert permission == [
        "UseSnapStart",
        {"Ref": "ApiLiveAlias"},
        {"Fn::GetAtt": ["ApiFunction", "Arn"]},
    ]
    alias = resources["ApiLiveAlias"]["Properties"]
    assert alias["FunctionVersion"] == {"Fn::GetAtt": ["ApiVersion", "Version"]}
