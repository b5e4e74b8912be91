"""Lambda's network interfaces outlive its functions by minutes (up to about 40).

While one still uses a security group, the group cannot be deleted: CloudFormation gives up
on the stack that owns it and leaves it in DELETE_FAILED. So `make destroy` waits until no
Lambda interface uses any of the stack's security groups before it deletes the stack.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

# How Lambda's (Hyperplane) interfaces present themselves.
_LAMBDA_TYPE = "lambda"
_LAMBDA_DESCRIPTION = "AWS Lambda VPC ENI"
_PAUSE_SECONDS = 30
_GIVE_UP_SECONDS = 60 * 60


def security_groups(cfn: Any, stack_name: str) -> list[str]:
    """The IDs of the security groups the stack owns."""
    resources = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
    return [
        r["PhysicalResourceId"]
        for r in resources
        if r.get("ResourceType") == "AWS::EC2::SecurityGroup" and r.get("PhysicalResourceId")
    ]


def lambda_interfaces(ec2: Any, groups: list[str]) -> list[str]:
    """The IDs of Lambda's network interfaces that use one of the groups."""
    if not groups:
        return []
    found = []
    pages = ec2.get_paginator("describe_network_interfaces").paginate(
        Filters=[{"Name": "group-id", "Values": groups}]
    )
    for page in pages:
        for interface in page["NetworkInterfaces"]:
            if interface.get("InterfaceType") == _LAMBDA_TYPE or interface.get(
                "Description", ""
            ).startswith(_LAMBDA_DESCRIPTION):
                found.append(interface["NetworkInterfaceId"])
    return found


def wait_until_released(
    ec2: Any,
    cfn: Any,
    stack_name: str,
    say: Callable[[str], None],
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Return once no Lambda interface uses the stack's security groups; raise after an hour."""
    groups = security_groups(cfn, stack_name)
    waited = 0.0
    while interfaces := lambda_interfaces(ec2, groups):
        if waited >= _GIVE_UP_SECONDS:
            raise TimeoutError(
                f"Lambda still holds {len(interfaces)} network interfaces in {stack_name}'s "
                f"security groups after {waited / 60:.0f} min: {', '.join(interfaces)}"
            )
        say(
            f"waiting for Lambda to release {len(interfaces)} network interfaces "
            f"in {stack_name} ({waited / 60:.0f} min so far)"
        )
        sleep(_PAUSE_SECONDS)
        waited += _PAUSE_SECONDS
