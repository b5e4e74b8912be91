"""CloudFormation change sets: create one with the stage's values, read it whole, then delete or
execute that same change set (what `sam deploy --confirm-changeset` does).

`make deploy` updates a stack only through a change set it has read: what it checks is what
runs. A new stack is created directly (CreateStack): it has nothing to replace or remove.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from deploytools import changes
from deploytools import template as templates
from deploytools.render import CAPABILITIES

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from deploytools.template import Template

# AWS says so in a FAILED change set's reason; moto refuses CreateChangeSet with the second.
_NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
_PAUSE_SECONDS, _GIVE_UP_SECONDS = 3, 15 * 60


class ChangeSetError(RuntimeError):
    """CloudFormation could not make the change set (its status reason says why)."""


@dataclass(frozen=True)
class ChangeSet:
    """A created change set, its resource changes classified; None changes: nothing to do."""

    stack_name: str
    arn: str
    kind: str  # CREATE or UPDATE
    changes: list[changes.Change]


def name(purpose: str) -> str:
    """A change set name that says who made it and when (letters, digits and hyphens)."""
    return f"deploytools-{purpose}-{datetime.now(UTC):%Y%m%d-%H%M%S}"


def create(
    cfn: Any,
    stack_name: str,
    body: Template,
    parameters: Mapping[str, str],
    *,
    kind: str,
    purpose: str,
    role_arn: str = "",
    sleep: Callable[[float], None] = time.sleep,
) -> ChangeSet | None:
    """Create the change set and wait for it; None when it holds no change (and is deleted).

    Raises ChangeSetError, after deleting it, when CloudFormation could not make it.
    """
    from botocore.exceptions import ClientError

    try:
        created = cfn.create_change_set(
            StackName=stack_name,
            ChangeSetName=name(purpose),
            ChangeSetType=kind,
            TemplateBody=templates.dump(body),
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Capabilities=list(CAPABILITIES),
            Description=f"deploytools {purpose}",
            # CloudFormation's service role: the stack's own is used when none is given
            **({"RoleARN": role_arn} if role_arn else {}),
        )
    except ClientError as exc:
        if any(text in str(exc) for text in _NO_CHANGES):
            return None
        raise
    arn = str(created["Id"])
    status, reason = _wait(cfn, stack_name, arn, sleep)
    if status == "FAILED":
        delete(cfn, stack_name, arn)
        if any(text in reason for text in _NO_CHANGES):
            return None
        raise ChangeSetError(f"{stack_name}: {reason}")
    deployed = [] if kind == "CREATE" else [deployed_template(cfn, stack_name)]
    raw = describe(cfn, stack_name, arn)
    return ChangeSet(stack_name, arn, kind, changes.classify(raw, [body, *deployed]))


def _wait(cfn: Any, stack_name: str, arn: str, sleep: Callable[[float], None]) -> tuple[str, str]:
    waited = 0.0
    while True:
        found = cfn.describe_change_set(ChangeSetName=arn, StackName=stack_name)
        status = str(found["Status"])
        if status in ("CREATE_COMPLETE", "FAILED"):
            return status, str(found.get("StatusReason", ""))
        if waited >= _GIVE_UP_SECONDS:
            raise ChangeSetError(f"{stack_name}: change set still {status} after {waited:.0f} s")
        sleep(_PAUSE_SECONDS)
        waited += _PAUSE_SECONDS


def describe(cfn: Any, stack_name: str, arn: str) -> list[dict[str, Any]]:
    """Every change of the change set (DescribeChangeSet pages them)."""
    found: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = cfn.describe_change_set(
            ChangeSetName=arn, StackName=stack_name, **({"NextToken": token} if token else {})
        )
        found += page.get("Changes", [])
        token = page.get("NextToken")
        if not token:
            return found


def deployed_template(cfn: Any, stack_name: str) -> Template:
    """The template the stack runs now (its resources' deletion policies count too)."""
    body = cfn.get_template(StackName=stack_name, TemplateStage="Original")["TemplateBody"]
    # boto3 hands a JSON body over already parsed, a YAML one as text
    return dict(body) if isinstance(body, dict) else templates.load(str(body))


def delete(cfn: Any, stack_name: str, arn: str) -> None:
    """Delete the change set (AWS keeps a FAILED one otherwise; a CREATE one leaves its stack
    in REVIEW_IN_PROGRESS, which the caller deletes)."""
    cfn.delete_change_set(ChangeSetName=arn, StackName=stack_name)


def execute(cfn: Any, change_set: ChangeSet) -> None:
    """Execute the change set that was read, and wait for the stack."""
    cfn.execute_change_set(ChangeSetName=change_set.arn, StackName=change_set.stack_name)
    waiter = "stack_create_complete" if change_set.kind == "CREATE" else "stack_update_complete"
    cfn.get_waiter(waiter).wait(
        StackName=change_set.stack_name, WaiterConfig={"Delay": 10, "MaxAttempts": 180}
    )
