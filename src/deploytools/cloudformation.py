"""`aws cloudformation deploy` and `delete-stack`, done with boto3 (the aws CLI is optional)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deploytools import template
from deploytools.render import CAPABILITIES

if TYPE_CHECKING:
    from collections.abc import Mapping

    from deploytools.template import Template

# A first creation that failed leaves a stack that can only be deleted.
DEAD_ON_ARRIVAL = frozenset({"ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS"})
_NO_CHANGES = "No updates are to be performed"


def stack_status(cfn: Any, stack_name: str) -> str | None:
    """The stack's status, or None when it does not exist."""
    from botocore.exceptions import ClientError

    try:
        stacks = cfn.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        if "does not exist" in str(exc):
            return None
        raise
    return str(stacks[0]["StackStatus"]) if stacks else None


def deploy(
    cfn: Any,
    stack_name: str,
    template_body: str,
    parameters: Mapping[str, str],
    role_arn: str = "",
) -> dict[str, str]:
    """Create or update and wait, like the CLI's deploy; returns the stack's outputs.

    Same semantics as `aws cloudformation deploy --no-fail-on-empty-changeset`: parameters
    not given keep their previous values, and an update with no change is not an error.
    `make destroy` uses it to lift deletion protection and change nothing else; `make deploy`
    gives every parameter and updates through a change set it reads first (stackdeploy.py).
    With role_arn, CloudFormation acts as that service role (and keeps it for the stack).
    """
    from botocore.exceptions import ClientError

    status = stack_status(cfn, stack_name)
    if status is None or status in DEAD_ON_ARRIVAL:
        return create(cfn, stack_name, template_body, parameters, role_arn)
    params: list[dict[str, Any]] = [
        {"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()
    ]
    request = {
        "StackName": stack_name,
        "TemplateBody": template_body,
        "Capabilities": list(CAPABILITIES),
        **({"RoleARN": role_arn} if role_arn else {}),
    }
    declared = {
        p["ParameterKey"]
        for p in cfn.get_template_summary(TemplateBody=template_body)["Parameters"]
    }
    previous = cfn.describe_stacks(StackName=stack_name)["Stacks"][0].get("Parameters", [])
    # The previous values themselves rather than UsePreviousValue: the same for parameters
    # without NoEcho (none here), and what moto's rehearsal understands too.
    params += [
        {"ParameterKey": p["ParameterKey"], "ParameterValue": p["ParameterValue"]}
        for p in previous
        if p["ParameterKey"] not in parameters and p["ParameterKey"] in declared
    ]
    try:
        cfn.update_stack(**request, Parameters=params)
    except ClientError as exc:
        if _NO_CHANGES in str(exc):
            return outputs(cfn, stack_name)
        raise
    cfn.get_waiter("stack_update_complete").wait(
        StackName=stack_name, WaiterConfig={"Delay": 10, "MaxAttempts": 180}
    )
    return outputs(cfn, stack_name)


def create(
    cfn: Any,
    stack_name: str,
    template_body: str,
    parameters: Mapping[str, str],
    role_arn: str = "",
) -> dict[str, str]:
    """Create the stack and wait (a failed first creation left before is deleted first).

    With role_arn, CloudFormation acts as that service role (and keeps it for the stack).
    """
    if stack_status(cfn, stack_name) in DEAD_ON_ARRIVAL:
        delete(cfn, stack_name)
    cfn.create_stack(
        StackName=stack_name,
        TemplateBody=template_body,
        Capabilities=list(CAPABILITIES),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
        **({"RoleARN": role_arn} if role_arn else {}),
    )
    cfn.get_waiter("stack_create_complete").wait(
        StackName=stack_name, WaiterConfig={"Delay": 10, "MaxAttempts": 180}
    )
    return outputs(cfn, stack_name)


def effective_parameters(
    cfn: Any, stack_name: str, body: Template, given: Mapping[str, str]
) -> dict[str, str]:
    """The values `deploy` leaves the stack with: defaults, else previous values, else given."""
    previous: dict[str, str] = {}
    if stack_status(cfn, stack_name) not in (None, *DEAD_ON_ARRIVAL):
        stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
        previous = {p["ParameterKey"]: p["ParameterValue"] for p in stack.get("Parameters", [])}
    declared = body.get("Parameters", {})
    kept = {name: value for name, value in previous.items() if name in declared}
    return {**template.defaults(body), **kept, **given}


def outputs(cfn: Any, stack_name: str) -> dict[str, str]:
    """The stack's outputs by key."""
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def physical_id(cfn: Any, stack_name: str, logical_id: str) -> str | None:
    """The name AWS gave one resource of the stack, or None when it is not there."""
    from botocore.exceptions import ClientError

    try:
        found = cfn.describe_stack_resource(StackName=stack_name, LogicalResourceId=logical_id)
    except ClientError:
        return None
    return str(found["StackResourceDetail"].get("PhysicalResourceId") or "") or None


def delete(cfn: Any, stack_name: str) -> None:
    """Delete the stack and wait; a stack that does not exist is already deleted."""
    if stack_status(cfn, stack_name) is None:
        return
    cfn.delete_stack(StackName=stack_name)
    cfn.get_waiter("stack_delete_complete").wait(
        StackName=stack_name, WaiterConfig={"Delay": 15, "MaxAttempts": 240}
    )
