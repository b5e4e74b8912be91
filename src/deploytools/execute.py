"""Runs a plan against AWS with boto3; every client is a parameter, so moto can stand in."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from deploytools import (
    apigateway,
    cloudformation,
    migrations,
    network,
    preflight,
    stackdeploy,
    wiring,
    zones,
)
from deploytools import template as templates

if TYPE_CHECKING:
    from collections.abc import Callable

    from deploytools.plan import Config, DeployPlan, DestroyPlan, StackDeploy
    from deploytools.template import Template

    Say = Callable[[str], None]


def read_template(step: StackDeploy) -> str:
    """The template as written; the rehearsal passes another reader."""
    return step.template.read_text(encoding="utf-8")


def ensure_bucket(s3: Any, config: Config) -> bool:
    """Create the private artifacts bucket when it is missing; True when it was created."""
    from botocore.exceptions import ClientError

    try:
        s3.head_bucket(Bucket=config.artifacts_bucket)
        return False
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
            raise
    # us-east-1 takes no location at all: even an empty CreateBucketConfiguration element is
    # MalformedXML there (moto accepts it, so only the request shows it).
    if config.region == "us-east-1":
        s3.create_bucket(Bucket=config.artifacts_bucket)
    else:
        s3.create_bucket(
            Bucket=config.artifacts_bucket,
            CreateBucketConfiguration={"LocationConstraint": config.region},
        )
    s3.put_public_access_block(
        Bucket=config.artifacts_bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    return True


def deploy(
    plan: DeployPlan,
    clients: dict[str, Any],
    say: Say,
    *,
    template: Callable[[StackDeploy], str] = read_template,
    invoke: bool = True,
    allow_replace: bool = False,
) -> dict[str, str]:
    """Upload, deploy the stacks in order, invoking each one's InvokeOnDeploy functions after it.

    Each stack gets exactly the stage file's values and what the deploy computes; an existing
    one is updated through a change set, refused when it replaces or removes a resource that
    holds data, unless `allow_replace` (stackdeploy.py). Returns every stack's outputs by key.
    """
    missing = [str(u.path) for u in plan.uploads if not u.path.is_file()]
    if missing:
        raise FileNotFoundError(f"build the artifacts first (make build): {', '.join(missing)}")
    preflight.check_account(plan, clients, template, say)
    if apigateway.needs_logging_role([templates.load(template(step)) for step in plan.stacks]):
        role = f"{plan.config.project}-apigateway-logs"
        apigateway.ensure_logging_role(clients["apigateway"], clients["iam"], role, say)
    s3, cfn = clients["s3"], clients["cloudformation"]
    if ensure_bucket(s3, plan.config):
        say(f"created s3://{plan.config.artifacts_bucket}")
    for upload in plan.uploads:
        s3.upload_file(str(upload.path), plan.config.artifacts_bucket, upload.key)
        say(f"uploaded {upload.path.name} -> {upload.key}")
    results: dict[str, str] = {}
    by_stack: dict[str, dict[str, str]] = {}
    for step in plan.stacks:
        say(f"deploying {step.stack_name} ...")
        body, parameters = render(clients, step, template(step), by_stack)
        wanted = plan.settings.values.get(step.stack, {})
        outputs = stackdeploy.apply(
            cfn,
            step.stack_name,
            body,
            parameters,
            wanted,
            say,
            allow_replace=allow_replace,
            role_arn=plan.config.execution_role,
        )
        by_stack[step.stack] = outputs
        results.update(outputs)
        for function_name, timeout in step.invoke.items() if invoke else ():
            answer = migrations.run(migrations.client(clients["session"], timeout), function_name)
            say(f"{function_name}: {answer}")
    return results


def render(
    clients: dict[str, Any], step: StackDeploy, text: str, outputs: dict[str, dict[str, str]]
) -> tuple[Template, dict[str, str]]:
    """The template and every parameter's value as deployed: what only the tool knows, filled in.

    The zones of an existing network are its previous values (zones.py); everything else is
    the plan's (the stage file's and the build's) or an earlier stack's output.
    """
    cfn = clients["cloudformation"]
    body = templates.load(text)
    given = {**step.parameters, **wiring.input_values(step, outputs)}
    known = cloudformation.effective_parameters(cfn, step.stack_name, body, given)
    given |= zones.values(clients["ec2"], body, known) or zones.kept(body, known)
    missing = sorted(set(body.get("Parameters", {})) - set(given))
    if missing:  # the plan gives every parameter: a template and the tool disagree
        raise RuntimeError(f"{step.stack_name}: no value for {', '.join(missing)}")
    return apigateway.with_deployment_identity(body, {**known, **given}), given


def destroy(
    plan: DestroyPlan,
    clients: dict[str, Any],
    say: Say,
    *,
    template: Callable[[StackDeploy], str] = read_template,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Lift deletion protection, then delete in reverse order, emptying each bucket first.

    A stack goes once Lambda has released the network interfaces in its security groups.
    """
    cfn = clients["cloudformation"]
    for step in plan.unprotect:
        if cloudformation.stack_status(cfn, step.stack_name) is not None:
            say(f"turning deletion protection off on {step.stack_name}")
            cloudformation.deploy(cfn, step.stack_name, template(step), step.parameters)
    for stack_name in plan.deletions:
        if cloudformation.stack_status(cfn, stack_name) is None:
            continue
        network.wait_until_released(clients["ec2"], cfn, stack_name, say, sleep=sleep)
        for logical_id in plan.buckets.get(stack_name, ()):
            bucket = cloudformation.physical_id(cfn, stack_name, logical_id)
            if bucket:
                say(f"emptying s3://{bucket} ({empty_bucket(clients['s3'], bucket)} versions)")
        say(f"deleting {stack_name} ...")
        cloudformation.delete(cfn, stack_name)
    say("done; a database is kept as a final snapshot (aws rds describe-db-snapshots)")


def empty_bucket(s3: Any, bucket: str) -> int:
    """Delete every object version and delete marker; returns how many."""
    count = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        items = [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        if items:
            keys = [{"Key": i["Key"], "VersionId": i["VersionId"]} for i in items]
            s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
            count += len(keys)
    return count
