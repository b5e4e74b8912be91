"""Deploy every template, in order, into moto's CloudFormation, through the real deploy code.

moto has no CloudFormation model for some resource types; those are taken out of the
templates here (UNSUPPORTED says which) and the rest is created for real: VPC, subnets,
security groups, endpoints, RDS instance, roles, layer, functions, REST API, bucket, queues,
event-source mapping, with every import resolved from the previous stacks' exports. The
alarms, which moto's CloudFormation cannot create either, are put into moto's CloudWatch from
their resolved properties (TAUGHT; tests/deploy/moto_alarms.py).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from deploytools import cloudformation, execute, smoke, targets, template, zones
from deploytools.plan import Config, deploy_plan
from deploytools.preview import preview
from stackspec import ApiTrigger, QueueTrigger, StreamTrigger
from tests.deploy import moto_alarms
from tests.deploy.ci_stack import deploy_ci_stack
from tests.deploy.iam import allowed
from tests.deploy.stagefiles import changed, settings
from tests.deploy.templates import NAMES, load

pytestmark = pytest.mark.heavy  # tests/conftest.py: scheduled first

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from deploytools.plan import DeployPlan, StackDeploy

# Resource types the templates use and moto 5.2 cannot create; checked below, so that this
# list stays true when moto learns one of them (or a template starts using another).
UNSUPPORTED = {
    "AWS::ApiGateway::ApiKey",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::UsagePlan",
    "AWS::ApiGateway::UsagePlanKey",
    "AWS::Lambda::Alias",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::RDS::DBProxy",
    "AWS::RDS::DBProxyTargetGroup",
    "AWS::S3::BucketPolicy",
    "AWS::SQS::QueuePolicy",
}
ALARM_TOPIC = "AlarmTopicArn"
# Resource types moto 5.2 cannot create either, which the rehearsal teaches it.
TAUGHT = {moto_alarms.TYPE}

# Attributes moto does not return, replaced by a value of the right shape.
UNSUPPORTED_ATTRIBUTES = {
    "MasterUserSecret.SecretArn": (
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-rehearsal-AbCdEf"
    ),
}

# Properties moto mishandles, left out: it passes the parameter group object where its name
# belongs (the group itself is still created and checked by cfn-lint).
UNSUPPORTED_PROPERTIES = {("AWS::RDS::DBInstance", "DBParameterGroupName")}


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
    """Every stack of stage "rh" deployed once into moto, for the tests of this module."""
    import boto3
    from moto import mock_aws

    saved = {
        name: os.environ.pop(name, None) for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SQS")
    }
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    # the tool's API Gateway logging role attaches an AWS managed policy: moto must load them
    with mock_aws(config={"iam": {"load_aws_managed_policies": True}}):
        moto_alarms.teach_moto()
        names = (
            "s3",
            "cloudformation",
            "lambda",
            "ec2",
            "rds",
            "sqs",
            "apigateway",
            "iam",
            "dynamodb",
            "cloudwatch",
            "sns",
        )
        aws: dict[str, Any] = {name: boto3.client(name, region_name="us-east-1") for name in names}
        # The stage's alarms notify a topic: every stack that has alarms is given it.
        topic = aws["sns"].create_topic(Name="lambda-stack-rh-alarms")["TopicArn"]
        calls: list[str] = []  # every request the tool makes, as service:Operation
        for client in aws.values():
            client.meta.events.register("before-call", partial(_record, calls))
        aws["lambda"] = WithAccountSettings(aws["lambda"], calls)
        dist = stand_in_zips(tmp_path_factory.mktemp("dist"))
        config = Config("rh", account_id="123456789012", dist=dist)
        plan = deploy_plan(config, changed(settings(), **{ALARM_TOPIC: topic}))
        said: list[str] = []
        # InvokeOnDeploy needs a running function, which moto does not provide: not rehearsed
        outputs = execute.deploy(plan, aws, said.append, template=rehearsable, invoke=False)
        # a copy: the tests' own calls through the same clients are recorded too
        yield Rehearsal(plan, aws, outputs, said, list(calls), topic)
    os.environ.update({k: v for k, v in saved.items() if v is not None})


def _record(calls: list[str], model: Any, **_: Any) -> None:
    calls.append(f"{model.service_model.endpoint_prefix}:{model.name}")


class WithAccountSettings:
    """moto's Lambda client, plus the GetAccountSettings moto lacks (a default account's)."""

    def __init__(self, client: Any, calls: list[str]) -> None:
        self._client, self._calls = client, calls

    def get_account_settings(self) -> dict[str, Any]:
        self._calls.append("lambda:GetAccountSettings")
        return {
            "AccountLimit": {"ConcurrentExecutions": 1000, "UnreservedConcurrentExecutions": 1000}
        }

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


@dataclass
class Rehearsal:
    plan: DeployPlan
    aws: dict[str, Any]
    outputs: dict[str, str]
    said: list[str]
    calls: list[str]  # what the deploy itself asked AWS, as service:Operation
    alarm_topic: str


def stand_in_zips(folder: Path) -> Path:
    """Stand-in zips: moto stores the code, it never runs it."""
    import zipfile

    for name in ("layer-arm64", *(function.name for function in stackspec.functions())):
        with zipfile.ZipFile(folder / f"{name}.zip", "w") as archive:
            archive.writestr(f"{name}/__init__.py", "")
    return folder


def test_unsupported_and_taught_lists_are_exactly_what_moto_lacks() -> None:
    used = {r["Type"] for name in NAMES for r in load(name)["Resources"].values()}
    assert {kind for kind in used if not moto_alarms.moto_knows(kind)} == UNSUPPORTED | TAUGHT


def test_every_stack_deploys_in_order_with_imports_resolved(rehearsal: Rehearsal) -> None:
    plan, aws, outputs, said = rehearsal.plan, rehearsal.aws, rehearsal.outputs, rehearsal.said
    cfn = aws["cloudformation"]
    for step in plan.stacks:
        assert cloudformation.stack_status(cfn, step.stack_name) == "CREATE_COMPLETE"
    assert [line for line in said if line.startswith("deploying")] == [
        f"deploying lambda-stack-rh-{name} ..." for name in NAMES
    ]
    unconditional = {
        key for name in NAMES for key, spec in load(name).get("Outputs", {}).items()
        if "Condition" not in spec
    }  # fmt: skip
    assert unconditional <= set(outputs)


@pytest.mark.parametrize("function", stackspec.functions(), ids=lambda f: f.name)
def test_each_function_runs_in_the_private_subnets_with_the_database_address(
    rehearsal: Rehearsal, function: stackspec.Function
) -> None:
    aws, outputs = rehearsal.aws, rehearsal.outputs
    deployed = aws["lambda"].get_function(FunctionName=function.name_in("lambda-stack", "rh"))
    configuration = deployed["Configuration"]
    assert configuration["Handler"] == function.handler
    assert configuration["Timeout"] == function.timeout
    subnets = configuration["VpcConfig"]["SubnetIds"]
    assert sorted(subnets) == sorted(outputs["PrivateSubnetIds"].split(","))
    variables = configuration["Environment"]["Variables"]
    assert variables["DB_HOST"] == outputs["DatabaseHost"]
    assert variables["DB_SECRET_ARN"] == outputs["DatabaseSecretArn"]


def test_the_database_is_encrypted_private_and_of_the_tested_major(rehearsal: Rehearsal) -> None:
    aws, outputs = rehearsal.aws, rehearsal.outputs
    db = aws["rds"].describe_db_instances(DBInstanceIdentifier=outputs["DatabaseInstanceId"])[
        "DBInstances"
    ][0]
    assert db["StorageEncrypted"] and not db["PubliclyAccessible"]
    assert db["EngineVersion"].split(".")[0] == "18"


QUEUE_FUNCTIONS = [f for f in stackspec.functions() if f.trigger(QueueTrigger)]


@pytest.mark.parametrize("function", QUEUE_FUNCTIONS, ids=lambda f: f.name)
def test_queue_triggers_carry_the_declared_delivery_settings(
    rehearsal: Rehearsal, function: stackspec.Function
) -> None:
    aws = rehearsal.aws
    trigger = function.trigger(QueueTrigger)
    assert isinstance(trigger, QueueTrigger)
    name = function.name_in("lambda-stack", "rh")
    (mapping,) = aws["lambda"].list_event_source_mappings(FunctionName=name)["EventSourceMappings"]
    queue_name = mapping["EventSourceArn"].rsplit(":", 1)[-1]
    url = aws["sqs"].get_queue_url(QueueName=queue_name)["QueueUrl"]
    attributes = aws["sqs"].get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    values = attributes["Attributes"]
    assert int(values["VisibilityTimeout"]) == trigger.visibility_timeout
    if trigger.max_receive_count is not None:
        assert json.loads(values["RedrivePolicy"])["maxReceiveCount"] == trigger.max_receive_count
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BatchSize"] == trigger.batch_size


STREAM_FUNCTIONS = [f for f in stackspec.functions() if f.trigger(StreamTrigger)]


@pytest.mark.parametrize("function", STREAM_FUNCTIONS, ids=lambda f: f.name)
def test_stream_triggers_carry_the_declared_retry_and_failure_settings(
    rehearsal: Rehearsal, function: stackspec.Function
) -> None:
    aws = rehearsal.aws
    trigger = function.trigger(StreamTrigger)
    assert isinstance(trigger, StreamTrigger)
    name = function.name_in("lambda-stack", "rh")
    (mapping,) = aws["lambda"].list_event_source_mappings(FunctionName=name)["EventSourceMappings"]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BatchSize"] == trigger.batch_size
    assert int(mapping["MaximumRetryAttempts"]) == trigger.maximum_retry_attempts
    assert int(mapping["MaximumRecordAgeInSeconds"]) == trigger.maximum_record_age
    assert (
        str(mapping["BisectBatchOnFunctionError"]).lower() == str(trigger.bisect_on_error).lower()
    )
    # the stream of the declared table, with both images; failures go to an existing queue
    table_name = mapping["EventSourceArn"].split(":table/")[1].split("/")[0]
    table = aws["dynamodb"].describe_table(TableName=table_name)["Table"]
    assert table["LatestStreamArn"] == mapping["EventSourceArn"]
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == list(
        trigger.key_schema
    )
    destination = mapping["DestinationConfig"]["OnFailure"]["Destination"]
    aws["sqs"].get_queue_url(QueueName=destination.rsplit(":", 1)[-1])


def test_every_bucket_is_encrypted_with_kms(rehearsal: Rehearsal) -> None:
    # (moto's bucket keeps only the encryption of its properties: versioning, public access
    # blocks, lifecycle and notification are checked on the templates)
    cfn, s3 = rehearsal.aws["cloudformation"], rehearsal.aws["s3"]
    buckets = [
        cloudformation.physical_id(cfn, f"lambda-stack-rh-{stack.name}", logical_id)
        for stack in stackspec.load_stacks()
        for logical_id in stack.buckets
    ]
    assert buckets
    for bucket in buckets:
        encryption = s3.get_bucket_encryption(Bucket=bucket)
        rule = encryption["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"


def test_rehearsed_api_deployment_is_named_after_its_snapshot(rehearsal: Rehearsal) -> None:
    # the tool renders the template before CloudFormation sees it (test_api_deployment.py)
    stack = rehearsal.plan.config.stack_name("apigateway-lambda")
    resources = rehearsal.aws["cloudformation"].describe_stack_resources(StackName=stack)
    # moto lists one entry of this stack with neither type nor logical id
    (deployment,) = [
        r["LogicalResourceId"]
        for r in resources["StackResources"]
        if r.get("ResourceType") == "AWS::ApiGateway::Deployment"
    ]
    assert re.fullmatch(r"Deployment[0-9a-f]{12}", deployment)


def test_rehearsed_network_got_two_zone_ids_once(rehearsal: Rehearsal) -> None:
    cfn = rehearsal.aws["cloudformation"]
    (vpc,) = [step for step in rehearsal.plan.stacks if zones.PARAMETER in step.inputs]
    stack = cfn.describe_stacks(StackName=vpc.stack_name)["Stacks"][0]
    given = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
    # moto's us-east-1, sorted (moto shows a list parameter as a Python list)
    assert given[zones.PARAMETER].replace("'", "") in ("use1-az1,use1-az2", "[use1-az1, use1-az2]")
    # a later deploy keeps them: other zones would replace the subnets under the database
    body = template.load(vpc.template.read_text())
    known = cloudformation.effective_parameters(cfn, vpc.stack_name, body, vpc.parameters)
    assert zones.values(rehearsal.aws["ec2"], body, known) == {}


def test_rehearsal_checked_the_concurrency_quota_before_the_first_stack(
    rehearsal: Rehearsal,
) -> None:
    said = rehearsal.said
    check = next(i for i, line in enumerate(said) if line.startswith("lambda concurrency:"))
    assert check < next(i for i, line in enumerate(said) if line.startswith("deploying"))


def test_plan_of_the_rehearsed_stage_finds_no_drift_and_leaves_no_change_set(
    rehearsal: Rehearsal,
) -> None:
    # GIVEN the stage deployed with dev.toml WHEN planned with the same file
    said: list[str] = []
    refused = preview(rehearsal.plan, rehearsal.aws, said.append, template=rehearsable)
    # THEN no deployed value differs from the file, nothing is refused, and nothing is left
    cfn = rehearsal.aws["cloudformation"]
    for step in rehearsal.plan.stacks:
        assert f"{step.stack_name}: no drift (every deployed value is the stage file's)" in said
        assert cfn.list_change_sets(StackName=step.stack_name)["Summaries"] == []
        assert cloudformation.stack_status(cfn, step.stack_name) == "CREATE_COMPLETE"
    assert refused == []


def test_plan_reports_each_deployed_value_the_stage_file_changes(rehearsal: Rehearsal) -> None:
    # GIVEN a stage file that changes two values of the rehearsed stage
    plan = deploy_plan(
        rehearsal.plan.config, changed(settings(), LogLevel="DEBUG", MaxReceiveCount="3")
    )
    said: list[str] = []
    # WHEN planned
    preview(plan, rehearsal.aws, said.append, template=rehearsable)
    # THEN each stack says what its deployed values are and what the file wants
    imports = plan.config.stack_name("s3-lambda")
    start = said.index(f"{imports}: drift, deployed -> stage file:")
    assert sorted(line.split() for line in said[start + 1 : start + 3]) == [
        ["LogLevel", "INFO", "->", "DEBUG"],
        ["MaxReceiveCount", "5", "->", "3"],
    ]
    # and the deployed stack keeps its values: a plan changes nothing
    stack = rehearsal.aws["cloudformation"].describe_stacks(StackName=imports)["Stacks"][0]
    assert {"ParameterKey": "LogLevel", "ParameterValue": "INFO"} in stack["Parameters"]


def test_plan_of_a_new_stage_previews_what_it_can_and_leaves_nothing(rehearsal: Rehearsal) -> None:
    # GIVEN a stage with no stack yet, in the rehearsal's account
    config = replace(rehearsal.plan.config, stage="pv")
    plan = deploy_plan(config, settings())
    said: list[str] = []
    # WHEN planned
    preview(plan, rehearsal.aws, said.append, template=rehearsable)
    # THEN the first stack's CREATE change set lists its resources as added; the later ones,
    # which import its exports, say why they have none; and no stack of the stage is left
    first, *later = plan.stacks
    body = load(first.stack)
    assert (
        f"{first.stack_name}: change set (CREATE): {len(rehearsable_ids(first))} resource change(s)"
        in said
    )
    added = {line.split()[1] for line in said if line.startswith("     Add ")}
    assert added == rehearsable_ids(first) and added <= set(body["Resources"])
    for step in later:
        assert any(
            line.startswith(f"{step.stack_name}: new stack, every resource an Add") for line in said
        )
        assert cloudformation.stack_status(rehearsal.aws["cloudformation"], step.stack_name) is None
    assert cloudformation.stack_status(rehearsal.aws["cloudformation"], first.stack_name) is None


def rehearsable_ids(step: StackDeploy) -> set[str]:
    """The logical ids of the resources the rehearsal's template keeps (moto's Adds)."""
    return set(json.loads(rehearsable(step))["Resources"])


# IAM actions whose names differ from the API operation the tool calls (S3 and API Gateway name
# them after the permission or the HTTP method); sts:GetCallerIdentity needs no permission.
IAM_ACTIONS = {
    "s3:HeadBucket": "s3:ListBucket",
    "s3:PutPublicAccessBlock": "s3:PutBucketPublicAccessBlock",
    "s3:HeadObject": "s3:GetObject",
    "apigateway:GetAccount": "apigateway:GET",
    "apigateway:UpdateAccount": "apigateway:PATCH",
    "sts:GetCallerIdentity": None,
}


def test_the_ci_deploy_role_allows_every_call_the_rehearsed_deploy_made(
    rehearsal: Rehearsal,
) -> None:
    # GIVEN the stage's CI stack (deploy/cloudformation/ci.yaml) beside the rehearsed stacks
    aws, stage, made = rehearsal.aws, rehearsal.plan.config.stage, rehearsal.calls
    roles = deploy_ci_stack(aws["cloudformation"], aws["iam"], "lambda-stack", stage)
    # WHEN each call of the deploy (and the invocations moto cannot run) is put to its role
    needed = {IAM_ACTIONS.get(call, call) for call in made} - {None}
    if any(step.invoke for step in rehearsal.plan.stacks):
        needed.add("lambda:InvokeFunction")
    # THEN it allows each one: a new call in src/deploytools fails here until ci.yaml allows it
    assert {action for action in needed if action and not allowed(roles.deploy, action)} == set()


def test_the_smoke_test_finds_the_api_and_the_import_path_in_the_stacks_outputs(
    rehearsal: Rehearsal,
) -> None:
    # GIVEN the rehearsed stage WHEN the smoke test reads its stacks' outputs and parameters
    cfn, config = rehearsal.aws["cloudformation"], rehearsal.plan.config
    stacks = stackspec.load_stacks()
    deployed = {s.name: smoke.deployed_stack(cfn, config.stack_name(s.name)) for s in stacks}
    apis, imports = targets.find(stacks, deployed)
    # THEN it has the API's URL and AuthMode, and the bucket that feeds each queue function
    api_stacks = [s for s in stacks if any(f.trigger(ApiTrigger) for f in s.functions)]
    assert len(apis) == len(api_stacks) >= 1
    for api in apis:
        assert api.url in rehearsal.outputs.values() and "execute-api" in api.url
        assert api.auth == "iam" and api.cases  # the templates' default AuthMode
    buckets = {b["Name"] for b in rehearsal.aws["s3"].list_buckets()["Buckets"]}
    fed = [t for f in stackspec.functions() for t in f.triggers if isinstance(t, QueueTrigger)]
    sources = {(t.source.prefix, t.source.suffix) for t in fed if t.source is not None}
    assert {(path.prefix, path.suffix) for path in imports} == sources
    assert all(path.bucket in buckets and path.header for path in imports)


def alarms_in_templates() -> dict[str, dict[str, Any]]:
    """Every alarm of every template, by `<stack>/<logical id>`."""
    return {
        f"{name}/{logical_id}": resource
        for name in NAMES
        for logical_id, resource in load(name)["Resources"].items()
        if resource["Type"] == moto_alarms.TYPE
    }


def test_every_alarm_is_created_and_notifies_the_stages_topic(rehearsal: Rehearsal) -> None:
    cfn, cloudwatch = rehearsal.aws["cloudformation"], rehearsal.aws["cloudwatch"]
    created, absent = {}, []
    for key, resource in alarms_in_templates().items():
        stack, logical_id = key.split("/")
        # (moto lists resources it could not create as entries without a logical id)
        listed = cfn.describe_stack_resources(StackName=f"lambda-stack-rh-{stack}")
        names = {
            r["LogicalResourceId"]: r.get("PhysicalResourceId")
            for r in listed["StackResources"]
            if r.get("LogicalResourceId")
        }
        if "Condition" in resource:  # the proxy's alarm: no proxy in the rehearsal
            absent.append(names.get(logical_id))
        else:
            created[key] = names[logical_id]
    assert created
    assert absent == [None]
    found = cloudwatch.describe_alarms(AlarmNames=list(created.values()))["MetricAlarms"]
    assert sorted(alarm["AlarmName"] for alarm in found) == sorted(created.values())
    for alarm in found:
        assert alarm["AlarmName"].startswith("lambda-stack-rh-")
        assert alarm["AlarmActions"] == alarm["OKActions"] == [rehearsal.alarm_topic]


def test_every_alarm_watches_a_resource_of_the_stage(rehearsal: Rehearsal) -> None:
    aws = rehearsal.aws
    functions = {
        f.name_in("lambda-stack", "rh"): aws["lambda"].get_function_configuration(
            FunctionName=f.name_in("lambda-stack", "rh")
        )["Environment"]["Variables"]
        for f in stackspec.functions()
    }
    services = {env["POWERTOOLS_SERVICE_NAME"]: env for env in functions.values()}
    apis = {api["name"] for api in aws["apigateway"].get_rest_apis()["items"]}
    alarms = aws["cloudwatch"].describe_alarms(AlarmNamePrefix="lambda-stack-rh-")["MetricAlarms"]
    assert alarms
    for alarm in alarms:
        metrics = [q["MetricStat"]["Metric"] for q in alarm.get("Metrics", []) if "MetricStat" in q]
        for metric in metrics or [alarm]:
            dimensions = {d["Name"]: d["Value"] for d in metric["Dimensions"]}
            assert dimensions, f"{alarm['AlarmName']} watches no resource"
            for name, value in dimensions.items():
                if name == "QueueName":
                    aws["sqs"].get_queue_url(QueueName=value)
                elif name == "FunctionName":
                    assert value in functions, alarm["AlarmName"]
                elif name == "DBInstanceIdentifier":
                    aws["rds"].describe_db_instances(DBInstanceIdentifier=value)
                elif name == "ApiName":
                    assert value in apis and dimensions["Stage"] == "rh", alarm["AlarmName"]
                elif name == "service":  # our own metrics: the function's service and namespace
                    env = services[value]
                    assert metric["Namespace"] == env["POWERTOOLS_METRICS_NAMESPACE"]
                else:
                    assert name == "Stage", f"{alarm['AlarmName']}: unchecked dimension {name}"
