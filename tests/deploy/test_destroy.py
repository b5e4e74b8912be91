"""`make destroy` waits for Lambda's lingering network interfaces before deleting the network
(moto: the vpc stack for real, an interface Lambda would leave behind)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from deploytools import cloudformation, execute, network, zones
from deploytools.plan import Config, deploy_plan, destroy_plan
from tests.deploy.stagefiles import settings
from tests.deploy.test_rehearsal import rehearsable

if TYPE_CHECKING:
    from collections.abc import Iterator

LAMBDA_ENI = "AWS Lambda VPC ENI-lambda-stack-dn-api-2f4e1a"


@pytest.fixture
def network_stack() -> Iterator[tuple[dict[str, Any], dict[str, str], Config]]:
    """The stage's vpc stack in moto, with its outputs."""
    import boto3
    from moto import mock_aws

    saved = {name: os.environ.pop(name, None) for name in ("AWS_ENDPOINT_URL_S3",)}
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        names = ("cloudformation", "ec2", "s3")
        aws = {name: boto3.client(name, region_name="us-east-1") for name in names}
        config = Config("dn", account_id="123456789012")
        (step,) = [s for s in deploy_plan(config, settings()).stacks if zones.PARAMETER in s.inputs]
        parameters = {**step.parameters, zones.PARAMETER: "use1-az1,use1-az2"}
        outputs = cloudformation.deploy(
            aws["cloudformation"], step.stack_name, rehearsable(step), parameters
        )
        yield aws, outputs, config
    os.environ.update({k: v for k, v in saved.items() if v is not None})


class DeleteRequested(Exception):
    """Raised in place of moto's DeleteStack, which cannot delete the vpc stack's VPC."""


class DeletionRecorder:
    """The CloudFormation client, noting how many Lambda interfaces remain at the deletion."""

    def __init__(self, cfn: Any, ec2: Any, groups: list[str]) -> None:
        self._cfn, self._ec2, self._groups = cfn, ec2, groups
        self.remaining_at_delete: dict[str, int] = {}

    def delete_stack(self, StackName: str) -> Any:
        left = len(network.lambda_interfaces(self._ec2, self._groups))
        self.remaining_at_delete[StackName] = left
        raise DeleteRequested(StackName)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cfn, name)


def test_network_is_deleted_only_after_lambda_released_its_interfaces(
    network_stack: tuple[dict[str, Any], dict[str, str], Config],
) -> None:
    # GIVEN a Lambda interface still in the functions' security group, released a while later
    aws, outputs, config = network_stack
    ec2 = aws["ec2"]
    group = outputs["FunctionSecurityGroupId"]
    subnet = outputs["PrivateSubnetIds"].split(",")[0]
    eni = ec2.create_network_interface(SubnetId=subnet, Groups=[group], Description=LAMBDA_ENI)
    pauses: list[float] = []

    def later(seconds: float) -> None:
        pauses.append(seconds)
        ec2.delete_network_interface(
            NetworkInterfaceId=eni["NetworkInterface"]["NetworkInterfaceId"]
        )

    recorder = DeletionRecorder(aws["cloudformation"], ec2, [group])
    said: list[str] = []

    # WHEN the stage is destroyed (only its network exists)
    clients = {**aws, "cloudformation": recorder}
    with pytest.raises(DeleteRequested) as deleted:
        execute.destroy(destroy_plan(config), clients, said.append, sleep=later)

    # THEN the network's deletion was asked for once the interface was gone, after one pause
    assert recorder.remaining_at_delete == {str(deleted.value): 0}
    assert len(pauses) == 1 and any("waiting for Lambda" in line for line in said)


def test_only_lambdas_interfaces_are_waited_for(
    network_stack: tuple[dict[str, Any], dict[str, str], Config],
) -> None:
    # An endpoint's interface goes with the stack itself: waiting for it would never end.
    aws, outputs, _ = network_stack
    ec2 = aws["ec2"]
    subnet = outputs["PrivateSubnetIds"].split(",")[0]
    group = outputs["FunctionSecurityGroupId"]
    mine = ec2.create_network_interface(SubnetId=subnet, Groups=[group], Description=LAMBDA_ENI)
    ec2.create_network_interface(SubnetId=subnet, Groups=[group], Description="VPC Endpoint")

    found = network.lambda_interfaces(ec2, [group])

    assert found == [mine["NetworkInterface"]["NetworkInterfaceId"]]
