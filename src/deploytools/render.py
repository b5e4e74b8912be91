"""The plans as the aws CLI commands they are equivalent to (`make deploy-plan`)."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from deploytools.wiring import placeholder
from stackspec.model import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from deploytools.plan import DeployPlan, DestroyPlan, StackDeploy

CAPABILITIES = ("CAPABILITY_IAM",)


def deploy_command(step: StackDeploy, region: str, role_arn: str = "") -> list[str]:
    """`aws cloudformation deploy` for one stack; unnamed parameters keep their previous values."""
    overrides = [f"{name}={value}" for name, value in step.parameters.items()]
    overrides += [f"{name}={placeholder(name, source)}" for name, source in step.inputs.items()]
    return [
        *("aws", "cloudformation", "deploy", "--region", region),
        *("--stack-name", step.stack_name, "--template-file", _relative(step.template)),
        *("--capabilities", *CAPABILITIES, "--no-fail-on-empty-changeset"),
        *(("--role-arn", role_arn) if role_arn else ()),
        *("--parameter-overrides", *overrides),
    ]


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def deploy_commands(plan: DeployPlan) -> list[list[str]]:
    """Every command of `make deploy` after the build, in order."""
    config = plan.config
    bucket = config.artifacts_bucket
    region = config.region
    commands = [
        ["aws", "sts", "get-caller-identity", "--query", "Account", "--output", "text"],
        ["aws", "s3api", "head-bucket", "--bucket", bucket],
        ["aws", "s3", "mb", f"s3://{bucket}", "--region", region, "# only when it is missing"],
        *(
            ["aws", "s3", "cp", str(upload.path), f"s3://{bucket}/{upload.key}"]
            for upload in plan.uploads
        ),
    ]
    for step in plan.stacks:
        commands.append(deploy_command(step, region, config.execution_role))
        # A function the template marks InvokeOnDeploy (the migrations) runs before the stacks
        # after its own, so that their new code meets the new schema.
        commands += [invoke_command(name, region) for name in step.invoke]
    for step in plan.stacks:
        commands.append(
            [
                *("aws", "cloudformation", "describe-stacks", "--region", region),
                *("--stack-name", step.stack_name, "--query", "Stacks[0].Outputs"),
            ]
        )
    return commands


def invoke_command(function_name: str, region: str) -> list[str]:
    """`aws lambda invoke`, waiting for the answer."""
    return [
        *("aws", "lambda", "invoke", "--region", region, "--function-name", function_name),
        *("--cli-binary-format", "raw-in-base64-out", "--payload", "{}", "/dev/stdout"),
    ]


def destroy_commands(plan: DestroyPlan) -> list[list[str]]:
    """Every command of `make destroy`, in order."""
    region = plan.config.region
    commands = [deploy_command(step, region) for step in plan.unprotect]
    for stack_name in plan.deletions:
        commands.append(
            [
                *("aws", "ec2", "describe-network-interfaces", "--region", region),
                *("--filters", f"Name=group-id,Values=<security groups of {stack_name}>"),
                "# repeated until no Lambda interface is left (they linger after the functions)",
            ]
        )
        commands += [
            [
                *("aws", "s3", "rm", "--region", region, "--recursive"),
                f"s3://<{bucket} of {stack_name}>",
                "# with every object version (s3api delete-objects), so that the bucket can go",
            ]
            for bucket in plan.buckets.get(stack_name, ())
        ]
        delete = ["aws", "cloudformation", "delete-stack", "--region", region]
        commands.append([*delete, "--stack-name", stack_name])
        commands.append(
            [
                *("aws", "cloudformation", "wait", "stack-delete-complete"),
                *("--region", region, "--stack-name", stack_name),
            ]
        )
    return commands


def as_text(commands: list[list[str]]) -> str:
    """One shell line per command, comments kept as comments; one line per parameter override."""
    lines = []
    for command in commands:
        words = [word for word in command if not word.startswith("# ")]
        notes = [word for word in command if word.startswith("# ")]
        if "--parameter-overrides" in words:
            cut = words.index("--parameter-overrides") + 1
            overrides = [f"    {shlex.quote(word)}" for word in words[cut:]]
            text = " \\\n".join([shlex.join(words[:cut]), *overrides])
        else:
            text = shlex.join(words)
        lines.append(" ".join([text, *notes]))
    return "\n".join(lines)
