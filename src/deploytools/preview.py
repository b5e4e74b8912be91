"""`make deploy-plan` with AWS access: each stack's drift and change set, changing nothing.

Per stack, in deploy order: the deployed values that differ from the stage file, then a change
set (UPDATE for an existing stack, CREATE for a new one) with the stage's values, its changes
printed and the change set deleted (with the empty stack a CREATE change set leaves).
A new stack that needs the outputs of another new stack cannot have one: CloudFormation would
refuse its imports before that stack exists; every resource of it is an Add.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import stackspec
from deploytools import changes, changesets, cloudformation, drift
from deploytools.execute import read_template, render

if TYPE_CHECKING:
    from collections.abc import Callable

    from deploytools.plan import DeployPlan, StackDeploy

    Say = Callable[[str], None]


def preview(
    plan: DeployPlan,
    clients: dict[str, Any],
    say: Say,
    *,
    template: Callable[[StackDeploy], str] = read_template,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Say every stack's drift and changes; returns what `make deploy` would refuse."""
    from botocore.exceptions import ClientError

    cfn = clients["cloudformation"]
    if any(not upload.path.is_file() for upload in plan.uploads):
        say(
            "dist/ is not built: the code keys are placeholders, so every function shows as "
            "modified (make build first for exact change sets)"
        )
    specs = {stack.name: stack for stack in stackspec.load_stacks(plan.config.templates)}
    outputs: dict[str, dict[str, str]] = {}
    created: dict[str, set[str]] = {}  # new stack -> its outputs, which do not exist yet
    refusals = []
    for step in plan.stacks:
        status = cloudformation.stack_status(cfn, step.stack_name)
        if status is None or status in cloudformation.DEAD_ON_ARRIVAL:
            spec = specs[step.stack]
            waiting = sorted(name for name, out in created.items() if out & set(spec.needs))
            created[step.stack] = set(spec.outputs)
            if status or waiting:
                why = f"exists in {status}, which make deploy deletes first" if status else ""
                why = why or f"it needs what {', '.join(waiting)} will output once created"
                say(f"{step.stack_name}: new stack, every resource an Add; no change set: {why}")
                continue
        else:
            found = drift.differences(
                drift.deployed(cfn, step.stack_name) or {}, wanted(plan, step)
            )
            say_all(say, drift.lines(step.stack_name, found))
            outputs[step.stack] = cloudformation.outputs(cfn, step.stack_name)
        kind = "UPDATE" if step.stack in outputs else "CREATE"
        try:
            refusal = _change_set(cfn, clients, step, template(step), outputs, say, sleep, kind)
        except (ClientError, RuntimeError) as exc:  # ChangeSetError, or an output missing
            say(f"{step.stack_name}: no change set: {exc}")
            continue
        if refusal:
            refusals.append(refusal)
    for refusal in refusals:
        say(f"make deploy would stop there without ALLOW_REPLACE=1: {refusal}")
    return refusals


def _change_set(
    cfn: Any,
    clients: dict[str, Any],
    step: StackDeploy,
    text: str,
    outputs: dict[str, dict[str, str]],
    say: Say,
    sleep: Callable[[float], None],
    kind: str,
) -> str | None:
    body, parameters = render(clients, step, text, outputs)
    try:
        change_set = changesets.create(
            cfn, step.stack_name, body, parameters, kind=kind, purpose="plan", sleep=sleep
        )
    finally:
        if kind == "CREATE":  # the empty stack (REVIEW_IN_PROGRESS) its change set made
            cloudformation.delete(cfn, step.stack_name)
    if change_set is None:
        say(f"{step.stack_name}: change set: no changes")
        return None
    if kind == "UPDATE":
        changesets.delete(cfn, step.stack_name, change_set.arn)
    count = len(change_set.changes)
    say(
        f"{step.stack_name}: change set ({kind}): {count} resource change(s)"
        + ("; parameter values or outputs change only" if not count else "")
    )
    say_all(say, changes.lines(change_set.changes))
    return changes.refusal(step.stack_name, change_set.changes)


def wanted(plan: DeployPlan, step: StackDeploy) -> dict[str, str]:
    """The stage file's values for the step's stack."""
    return dict(plan.settings.values.get(step.stack, {}))


def say_all(say: Say, lines: list[str]) -> None:
    for line in lines:
        say(line)
