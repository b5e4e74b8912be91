"""Deploy the four templates, in order, into moto's CloudFormation, through the real deploy code.

moto has no CloudFormation model for some resource types; those are taken out of the
templates here (UNSUPPORTED says which) and the rest is created for real: VPC, subnets,
security groups, endpoints, RDS instance, roles, layer, functions, REST API, bucket, queues,
event-source mapping, with every import resolved from the previous stacks' exports.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from deploytools import cloudformation, execute
from deploytools.plan import Config, deploy_plan
from tests.deploy.templates import NAMES, load

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from deploytools.plan import DeployPlan, StackDeploy

# Resource types the templates use and moto 5.2 cannot create; checked below, so that this
# list stays true when moto learns one of them (or a template starts using another).
UNSUPPORTED = {
    "AWS::ApiGateway::Account",
    "AWS::ApiGateway::ApiKey",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::UsagePlan",
    "AWS::ApiGateway::UsagePlanKey",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::RDS::DBProxy",
    "AWS::RDS::DBProxyTargetGroup",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy",
}

# Attributes moto does not return, replaced by a value of the right shape.
UNSUPPORTED_ATTRIBUTES = {
    "MasterUserSecret.SecretArn": (
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-rehearsal-AbCdEf"
    ),
}

# Properties moto mishandles, left out: it passes the parameter group object where its name
# belongs (the group itself is still created and checked by cfn-lint).
UNSUPPORTED_PROPERTIES = {("AWS::RDS::DBInstance", "DBParameterGroupName")}


def supported_by_moto(kind: str) -> bool:
    from moto.cloudformation.parsing import get_model_map

    return kind in get_model_map()


def rehearsable(step: StackDeploy) -> str:
    """The template without the resources moto cannot create (and references to them)."""
    template = load(step.stack)
    resources = template["Resources"]
    dropped = {k for k, v in resources.items() if v["Type"] in UNSUPPORTED}
    kept = {}
    for logical_id, resource in resources.items():
        if logical_id in dropped:
            continue
        resource = dict(resource)
        resource["Properties"] = {
            key: value
            for key, value in resource.get("Properties", {}).items()
            if (resource["Type"], key) not in UNSUPPORTED_PROPERTIES
        }
        depends = resource.get("DependsOn", [])
        depends = [depends] if isinstance(depends, str) else depends
        resource["DependsOn"] = [d for d in depends if d not in dropped]
        if not resource["DependsOn"]:
            del resource["DependsOn"]
        kept[logical_id] = resource
    return json.dumps(_replace_attributes({**template, "Resources": kept}))


def _replace_attributes(node: Any) -> Any:
    if isinstance(node, dict):
        get_att = node.get("Fn::GetAtt")
        if isinstance(get_att, list) and get_att[1] in UNSUPPORTED_ATTRIBUTES:
            return UNSUPPORTED_ATTRIBUTES[get_att[1]]
        return {key: _replace_attributes(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_attributes(item) for item in node]
    return node


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rehearsal]:
    """The four stacks of stage "rh" deployed once into moto, for the tests of this module."""
    import boto3
    from moto import mock_aws

    saved = {
        name: os.environ.pop(name, None) for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SQS")
    }
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        names = ("s3", "cloudformation", "lambda", "ec2", "rds", "sqs")
        aws = {name: boto3.client(name, region_name="us-east-1") for name in names}
        plan = deploy_plan(
            Config(
                "rh", account_id="123456789012", dist=stand_in_zips(tmp_path_factory.mktemp("dist"))
            )
        )
        said: list[str] = []
        # migrations need a running function, which moto does not provide: not rehearsed
        outputs = execute.deploy(plan, aws, said.append, template=rehearsable, migrate=False)
        yield Rehearsal(plan, aws, outputs, said)
    os.environ.update({k: v for k, v in saved.items() if v is not None})


@dataclass
class Rehearsal:
    plan: DeployPlan
    aws: dict[str, Any]
    outputs: dict[str, str]
    said: list[str]


def stand_in_zips(folder: Path) -> Path:
    """Stand-in zips: moto stores the code, it never runs it."""
    import zipfile

    for name in ("layer-arm64", "sample_api", "sample_event", "migrator"):
        with zipfile.ZipFile(folder / f"{name}.zip", "w") as archive:
            archive.writestr(f"{name}/__init__.py", "")
    return folder


def test_unsupported_list_is_exactly_what_moto_lacks() -> None:
    used = {r["Type"] for name in NAMES for r in load(name)["Resources"].values()}
    assert {kind for kind in used if not supported_by_moto(kind)} == UNSUPPORTED


def test_four_stacks_deploy_in_order_with_imports_resolved(rehearsal: Rehearsal) -> None:
    plan, aws, outputs, said = rehearsal.plan, rehearsal.aws, rehearsal.outputs, rehearsal.said
    cfn = aws["cloudformation"]
    for step in plan.stacks:
        assert cloudformation.stack_status(cfn, step.stack_name) == "CREATE_COMPLETE"
    assert [line for line in said if line.startswith("deploying")] == [
        f"deploying lambda-stack-rh-{name} ..." for name in NAMES
    ]
    assert set(outputs) >= {
        "VpcId", "PrivateSubnetIds", "FunctionSecurityGroupId", "DatabaseSecurityGroupId",
        "DatabaseHost", "DatabasePort", "DatabaseName", "DatabaseSecretArn",
        "ApiUrl", "ApiFunctionName", "MigratorFunctionName", "LayerArn",
        "ImportBucketName", "ImportQueueUrl", "DeadLetterQueueUrl", "ImportFunctionName",
    }  # fmt: skip
    assert outputs["ImportBucketName"] == "lambda-stack-rh-imports-123456789012-us-east-1"
    assert outputs["ApiUrl"].endswith(".execute-api.us-east-1.amazonaws.com/rh")


def test_rehearsed_resources_carry_the_settings_the_code_relies_on(rehearsal: Rehearsal) -> None:
    aws, outputs = rehearsal.aws, rehearsal.outputs
    # the functions sit in the two private subnets with the imported database address
    api = aws["lambda"].get_function(FunctionName="lambda-stack-rh-api")["Configuration"]
    assert sorted(api["VpcConfig"]["SubnetIds"]) == sorted(outputs["PrivateSubnetIds"].split(","))
    variables = api["Environment"]["Variables"]
    assert variables["DB_HOST"] == outputs["DatabaseHost"]
    assert variables["DB_SECRET_ARN"] == outputs["DatabaseSecretArn"]
    db = aws["rds"].describe_db_instances(DBInstanceIdentifier=outputs["DatabaseInstanceId"])[
        "DBInstances"
    ][0]
    assert db["StorageEncrypted"] and not db["PubliclyAccessible"]
    assert db["EngineVersion"].split(".")[0] == "18"
    # AND the queue redrives to the dead-letter queue, the bucket is encrypted, SQS triggers
    attributes = aws["sqs"].get_queue_attributes(
        QueueUrl=outputs["ImportQueueUrl"], AttributeNames=["All"]
    )["Attributes"]
    assert json.loads(attributes["RedrivePolicy"])["maxReceiveCount"] == 5
    assert int(attributes["VisibilityTimeout"]) == 1800
    # (moto's bucket keeps only the encryption of its properties: versioning, public access
    # blocks, lifecycle and notification are checked on the template by test_consistency)
    encryption = aws["s3"].get_bucket_encryption(Bucket=outputs["ImportBucketName"])
    rule = encryption["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    mappings = aws["lambda"].list_event_source_mappings(FunctionName="lambda-stack-rh-import")
    assert mappings["EventSourceMappings"][0]["FunctionResponseTypes"] == [
        "ReportBatchItemFailures"
    ]
