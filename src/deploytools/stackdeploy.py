"""One stack of `make deploy`: created when new, otherwise updated through a change set read first.

Before an update it says the stack's drift (deployed values that differ from the stage file,
which the update is about to change) and every change of the change set; it refuses, before
executing anything, a change set that would replace or remove a resource holding data, unless
ALLOW_REPLACE=1 (changes.py). The change set it read is the one it executes.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from deploytools import changes, changesets, cloudformation, drift
from deploytools import template as templates

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from deploytools.template import Template


class ReplacementRefusedError(RuntimeError):
    """The change set replaces or removes a resource holding data, and ALLOW_REPLACE is not set."""


def apply(
    cfn: Any,
    stack_name: str,
    body: Template,
    parameters: Mapping[str, str],
    wanted: Mapping[str, str],
    say: Callable[[str], None],
    *,
    allow_replace: bool = False,
    role_arn: str = "",
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, str]:
    """Deploy the stack with exactly `parameters`; returns its outputs.

    `wanted` holds the stage file's values, for the drift report; with role_arn, CloudFormation
    acts as that service role (docs/pipeline.md).
    """
    deployed = drift.deployed(cfn, stack_name)
    if deployed is None:
        say(f"{stack_name}: new stack, {len(body.get('Resources', {}))} resources to add")
        return cloudformation.create(cfn, stack_name, templates.dump(body), parameters, role_arn)
    for line in drift.lines(stack_name, drift.differences(deployed, wanted)):
        say(line)
    change_set = changesets.create(
        cfn,
        stack_name,
        body,
        parameters,
        kind="UPDATE",
        purpose="deploy",
        role_arn=role_arn,
        sleep=sleep,
    )
    if change_set is None:
        say(f"{stack_name}: no changes")
        return cloudformation.outputs(cfn, stack_name)
    count = len(change_set.changes)
    say(
        f"{stack_name}: {count} resource change(s)"
        + ("; parameters or outputs only" if not count else "")
    )
    for line in changes.lines(change_set.changes):
        say(line)
    refused = changes.refusal(stack_name, change_set.changes)
    if refused and not allow_replace:
        changesets.delete(cfn, stack_name, change_set.arn)
        raise ReplacementRefusedError(
            f"{refused}. Nothing was executed (the change set is deleted). If that is what you "
            "want (the data is backed up, or disposable), deploy again with ALLOW_REPLACE=1."
        )
    if refused:
        say(f"{stack_name}: ALLOW_REPLACE=1: executing it, replacements included")
    changesets.execute(cfn, change_set)
    return cloudformation.outputs(cfn, stack_name)
