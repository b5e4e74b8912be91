"""API Gateway's deployment model, which CloudFormation does not follow by itself.

A stage serves a snapshot of the API (an AWS::ApiGateway::Deployment). Updating a method does
not take a new snapshot, and neither does a changed Description: only a new Deployment
resource does. So the tool names the Deployment after a hash of what the snapshot holds, as
CDK's LatestDeployment does; a change of a method (or of a parameter it uses, like AuthMode)
is a new logical ID, hence a new snapshot that the stage then serves.

Its logging role is an account setting: set once, by the tool, when absent (a role created in
every stage's stack overwrote it each time, and failed now and then on its first creation).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from deploytools import template

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from deploytools.template import Template

# What a deployment snapshot is made of (the stage, its settings and keys are not).
SNAPSHOT_TYPES = frozenset(
    f"AWS::ApiGateway::{kind}"
    for kind in (
        "RestApi",
        "Resource",
        "Method",
        "Authorizer",
        "Model",
        "RequestValidator",
        "GatewayResponse",
        "DocumentationPart",
    )
)
DEPLOYMENT = "AWS::ApiGateway::Deployment"


def with_deployment_identity(body: Template, parameters: Mapping[str, str]) -> Template:
    """The template with each Deployment's logical ID suffixed by the snapshot's hash."""
    deployments = template.resources(body, DEPLOYMENT)
    if not deployments:
        return body
    digest = snapshot_digest(body, parameters)
    return rename(body, {logical_id: f"{logical_id}{digest}" for logical_id in deployments})


def snapshot_digest(body: Template, parameters: Mapping[str, str]) -> str:
    """A hash of the snapshot's resources and of the values of the parameters they use."""
    parts = {
        k: v
        for k, v in body["Resources"].items()
        if v.get("Type") in SNAPSHOT_TYPES or v.get("Type") == DEPLOYMENT
    }
    used = _parameters_used(body, parts)
    document = {"resources": parts, "parameters": {p: parameters.get(p) for p in sorted(used)}}
    text = json.dumps(document, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _parameters_used(body: Template, parts: dict[str, Any]) -> set[str]:
    """Parameters the resources refer to, directly or through the conditions they use."""
    declared = body.get("Parameters", {})
    conditions = body.get("Conditions", {})
    pending = list(template.references(list(parts.values())))
    pending += [r["Condition"] for r in parts.values() if "Condition" in r]
    used: set[str] = set()
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in declared:
            used.add(name)
        elif name in conditions:
            pending += template.references(conditions[name])
    return used


def rename(body: Template, renames: Mapping[str, str]) -> Template:
    """The template with resources renamed, and every Ref, GetAtt, Sub and DependsOn to them."""
    renamed: Template = _rename_references(body, renames)
    renamed["Resources"] = {renames.get(k, k): v for k, v in renamed["Resources"].items()}
    return renamed


def _rename_references(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        renamed = {}
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                renamed[key] = renames.get(value, value)
            elif key == "Fn::GetAtt":
                renamed[key] = _rename_get_att(value, renames)
            elif key == "Fn::Sub":
                renamed[key] = _rename_sub(value, renames)
            elif key == "DependsOn":
                renamed[key] = _rename_depends(value, renames)
            else:
                renamed[key] = _rename_references(value, renames)
        return renamed
    if isinstance(node, list):
        return [_rename_references(item, renames) for item in node]
    return node


def _rename_get_att(value: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        name, _, attribute = value.partition(".")
        return f"{renames.get(name, name)}.{attribute}"
    return [renames.get(value[0], value[0]), *value[1:]]


def _rename_sub(value: Any, renames: Mapping[str, str]) -> Any:
    def swap(text: str) -> str:
        for old, new in renames.items():
            text = re.sub(r"\$\{" + re.escape(old) + r"([.}])", "${" + new + r"\1", text)
        return text

    if isinstance(value, str):
        return swap(value)
    return [swap(value[0]), _rename_references(value[1], renames)]


def _rename_depends(value: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return renames.get(value, value)
    return [renames.get(item, item) for item in value]


# --- API Gateway's CloudWatch role: one account setting per region ---------------------------

_LOGS_POLICY = "iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "apigateway.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
# A new role takes a few seconds to be usable by API Gateway (IAM is eventually consistent).
_ATTEMPTS, _PAUSE_SECONDS = 12, 5


def needs_logging_role(bodies: list[Template]) -> bool:
    """True when a stage writes access or execution logs, which need the account's role."""
    for body in bodies:
        for stage in template.resources(body, "AWS::ApiGateway::Stage").values():
            properties = stage.get("Properties", {})
            settings = properties.get("MethodSettings", [])
            if "AccessLogSetting" in properties or any("LoggingLevel" in s for s in settings):
                return True
    return False


def ensure_logging_role(
    apigw: Any, iam: Any, role_name: str, say: Callable[[str], None], *, sleep: Any = time.sleep
) -> str:
    """The account's CloudWatch role for API Gateway: the one set, else `role_name`, set once."""
    current = apigw.get_account().get("cloudwatchRoleArn")
    if current:
        return str(current)
    arn = _logging_role(iam, role_name)
    patch = [{"op": "replace", "path": "/cloudwatchRoleArn", "value": arn}]
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            apigw.update_account(patchOperations=patch)
            break
        except ClientError as exc:
            # "The role ARN does not have required permissions": not visible to API Gateway yet
            if exc.response.get("Error", {}).get("Code") != "BadRequestException":
                raise
            if attempt == _ATTEMPTS:
                raise
            sleep(_PAUSE_SECONDS)
    say(f"API Gateway logs through {arn} (an account setting of the region, now set)")
    return arn


def _logging_role(iam: Any, role_name: str) -> str:
    try:
        return str(iam.get_role(RoleName=role_name)["Role"]["Arn"])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchEntity":
            raise
    role = iam.create_role(
        RoleName=role_name,
        AssumeRolePolicyDocument=json.dumps(_TRUST),
        Description="Lets API Gateway write access and execution logs to CloudWatch Logs",
    )["Role"]
    partition = role["Arn"].split(":")[1]
    iam.attach_role_policy(RoleName=role_name, PolicyArn=f"arn:{partition}:{_LOGS_POLICY}")
    return str(role["Arn"])
