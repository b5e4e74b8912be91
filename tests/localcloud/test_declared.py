"""`make dev` runs each function and queue with the settings its template deploys.

The local values come from the code `make dev` runs; the deployed ones are read from the
templates' YAML here, without stackspec. The one difference allowed is the documented one
(README, "Local cloud"): a failed message comes back after one second per five deployed
minutes of the queue's visibility timeout, not after the whole timeout.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

import stackspec
from localcloud import declared, emulator, triggers
from localcloud.poller import Poller
from stackspec import QueueTrigger
from stackspec.cfn_yaml import loads

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient

    from stackspec import Function

DATABASE = "postgresql://localhost/unused"
SET_LOCALLY = {"DATABASE_URL", "POWERTOOLS_LOG_LEVEL", "AWS_LAMBDA_FUNCTION_NAME"}


def template(function: Function) -> dict[str, Any]:
    document: dict[str, Any] = loads(
        (stackspec.TEMPLATES / f"{function.stack}.yaml").read_text(encoding="utf-8")
    )
    return document


def resolved(node: Any, document: dict[str, Any]) -> Any:
    """A literal, or the default of the parameter a `!Ref` names."""
    if isinstance(node, dict) and "Ref" in node:
        return document["Parameters"][node["Ref"]]["Default"]
    return node


def event_source(function: Function, resources: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The function's SQS event source mapping, and the logical id of its queue."""
    mapping = next(
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Lambda::EventSourceMapping"
        and r["Properties"]["FunctionName"] == {"Ref": function.logical_id}
    )
    return mapping, mapping["EventSourceArn"]["Fn::GetAtt"][0]


def local_env(function: Function) -> dict[str, str]:
    buckets = {s.bucket: declared.local_bucket(s) for s in declared.bucket_sources([function])}
    return declared.environment(
        function, database_url=DATABASE, log_level="WARNING", buckets=buckets
    )


def test_each_function_has_its_deployed_timeout_memory_and_variables() -> None:
    running = declared.triggered(stackspec.functions())
    assert running
    for function in running:
        deployed = template(function)["Resources"][function.logical_id]["Properties"]
        host = declared.host(function, local_env(function))
        assert host.timeout_seconds == deployed["Timeout"], function.name
        assert host.memory_mb == deployed["MemorySize"], function.name
        variables = deployed["Environment"]["Variables"]
        parameters = template(function)["Parameters"]
        fed_by_aws = {name for name, spec in parameters.items() if "Default" not in spec}
        only_in_aws = {
            k
            for k, v in variables.items()
            if isinstance(v, dict) and ("Fn::ImportValue" in v or v.get("Ref") in fed_by_aws)
        }
        assert set(host.env) == (set(variables) - only_in_aws) | SET_LOCALLY, function.name
        for name, value in variables.items():
            by_default = isinstance(value, dict) and value.get("Ref") in parameters
            if name in only_in_aws or name == "POWERTOOLS_LOG_LEVEL":
                continue
            if isinstance(value, str | int) or by_default:  # a literal, or a parameter's default
                expected = str(resolved(value, template(function)))
                assert host.env[name] == expected, (function.name, name)
        assert host.env["POWERTOOLS_LOG_LEVEL"] == "WARNING"  # the local console's choice
        assert host.env["DATABASE_URL"] == DATABASE  # instead of the secret and its address


def test_each_queue_has_its_deployed_settings_but_the_documented_retry_delay(
    s3_client: S3Client, sqs_client: SQSClient
) -> None:
    checked = 0
    for function in declared.triggered(stackspec.functions()):
        document = template(function)
        resources = document["Resources"]
        for trigger in function.triggers:
            if not isinstance(trigger, QueueTrigger):
                continue
            # GIVEN the deployed queue, its event source mapping and its bucket's notification
            mapping, queue_id = event_source(function, resources)
            queue = resources[queue_id]["Properties"]
            # WHEN make dev's code creates and polls it
            queues = emulator.create_queues(sqs_client, trigger)
            poller = Poller(sqs_client, queues, declared.host(function, {}))
            attributes = sqs_client.get_queue_attributes(
                QueueUrl=queues.url, AttributeNames=["All"]
            )["Attributes"]
            # THEN the values are the deployed ones
            assert int(attributes["VisibilityTimeout"]) == queue["VisibilityTimeout"]
            redrive = queue["RedrivePolicy"]
            receives = int(resolved(redrive["maxReceiveCount"], document))
            assert int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"]) == receives
            assert poller.max_receives == receives
            assert poller.batch_size == mapping["BatchSize"]
            # but for the retry delay, scaled down by the documented rule
            timeout = queue["VisibilityTimeout"]
            assert poller.retry_delay == math.ceil(timeout / 300) < timeout
            checked += 1
    assert checked, "the sample stack has a queue trigger"


def test_each_bucket_notifies_its_queue_with_the_deployed_filter(
    s3_client: S3Client, sqs_client: SQSClient
) -> None:
    checked = 0
    for function in declared.triggered(stackspec.functions()):
        resources = template(function)["Resources"]
        for trigger in function.triggers:
            if not isinstance(trigger, QueueTrigger) or trigger.source is None:
                continue
            _, queue_id = event_source(function, resources)
            deployed = next(
                config["Filter"]["S3Key"]["Rules"]
                for r in resources.values()
                if r["Type"] == "AWS::S3::Bucket"
                for config in r["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
                if config["Queue"] == {"Fn::GetAtt": [queue_id, "Arn"]}
            )
            bucket = declared.local_bucket(trigger.source)
            emulator.create_bucket(s3_client, bucket)
            emulator.notify_queue(
                s3_client, bucket, emulator.create_queues(sqs_client, trigger), trigger.source
            )
            local = s3_client.get_bucket_notification_configuration(Bucket=bucket)
            (config,) = [c for c in local["QueueConfigurations"] if c.get("Id") == trigger.queue]
            rules = config["Filter"]["Key"]["FilterRules"]
            assert {r["Name"].lower(): r["Value"] for r in rules} == {
                r["Name"]: r["Value"] for r in deployed
            }
            checked += 1
    assert checked, "the sample stack has a bucket that notifies a queue"


def test_api_functions_run_in_the_gateways_process_and_the_others_apart() -> None:
    for function in declared.triggered(stackspec.functions()):
        in_process = type(declared.host(function, {})).__name__ == "FunctionHost"
        assert in_process == bool(triggers.api_paths(function)), function.name
