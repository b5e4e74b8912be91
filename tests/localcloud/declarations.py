"""Declarations for the local cloud's tests: queue triggers, and templates of throwaway functions.

Names are unique per call: the tests of one worker share one moto, whose state is per process.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import TYPE_CHECKING, Any

from stackspec import QueueTrigger
from stackspec.model import BucketSource

if TYPE_CHECKING:
    from pathlib import Path


def unique(prefix: str) -> str:
    """A name no other test of this run uses (lower case: a valid bucket name too)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def queue_trigger(**changes: Any) -> QueueTrigger:
    """A queue fed by imports/*.csv of its own bucket, 3 receives then its dead-letter queue."""
    name = unique("queue")
    trigger = QueueTrigger(
        queue=name,
        visibility_timeout=30,
        batch_size=10,
        max_receive_count=3,
        dead_letter_queue=f"{name}-dlq",
        maximum_concurrency=None,
        source=BucketSource(unique("bucket"), "imports/", ".csv", None),
    )
    return dataclasses.replace(trigger, **changes)


class Template:
    """A CloudFormation template built resource by resource (JSON, which is YAML too)."""

    def __init__(self) -> None:
        self.parameters: dict[str, Any] = {
            "Project": {"Type": "String", "Default": "test"},
            "Stage": {"Type": "String"},
        }
        self.resources: dict[str, Any] = {}

    def function(
        self,
        logical_id: str,
        package: str,
        *,
        timeout: int = 3,
        memory: int = 128,
        variables: dict[str, Any] | None = None,
        on_deploy: bool = False,
    ) -> None:
        self.parameters[f"{logical_id}Key"] = {"Type": "String"}
        self.resources[logical_id] = {
            "Type": "AWS::Lambda::Function",
            "Metadata": {"Tooling": {"InvokeOnDeploy": on_deploy}},
            "Properties": {
                "Handler": f"{package}.index.handler",
                "Timeout": timeout,
                "MemorySize": memory,
                "Code": {"S3Bucket": "artifacts", "S3Key": {"Ref": f"{logical_id}Key"}},
                "Environment": {"Variables": dict(variables or {})},
            },
        }

    def api(self, function_id: str, *paths: str) -> None:
        """Proxy methods on each path, integrated with the function."""
        self.resources.setdefault("RestApi", {"Type": "AWS::ApiGateway::RestApi"})
        for path in paths:
            parent: Any = {"Fn::GetAtt": ["RestApi", "RootResourceId"]}
            trail = ""
            for part in [p for p in path.split("/") if p]:
                trail += part
                resource_id = "Path" + "".join(c for c in trail.title() if c.isalnum())
                self.resources[resource_id] = {
                    "Type": "AWS::ApiGateway::Resource",
                    "Properties": {"ParentId": parent, "PathPart": part},
                }
                parent = {"Ref": resource_id}
            uri = f"arn:aws:apigateway:us-east-1:lambda:path/functions/${{{function_id}.Arn}}/x"
            self.resources[f"Method{function_id}{len(self.resources)}"] = {
                "Type": "AWS::ApiGateway::Method",
                "Properties": {
                    "HttpMethod": "ANY",
                    "ResourceId": parent,
                    "RestApiId": {"Ref": "RestApi"},
                    "Integration": {"Type": "AWS_PROXY", "Uri": {"Fn::Sub": uri}},
                },
            }

    def queue(
        self, function_id: str, trigger: QueueTrigger, *, bucket_variable: str | None = None
    ) -> None:
        """The trigger's queue, dead-letter queue, event source mapping and notifying bucket."""
        queue_id, dlq_id, bucket_id = f"{function_id}Queue", f"{function_id}Dlq", f"{function_id}B"
        self.resources[dlq_id] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {"QueueName": trigger.dead_letter_queue},
        }
        self.resources[queue_id] = {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": trigger.queue,
                "VisibilityTimeout": trigger.visibility_timeout,
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
                    "maxReceiveCount": trigger.max_receive_count,
                },
            },
        }
        self.resources[f"{function_id}Mapping"] = {
            "Type": "AWS::Lambda::EventSourceMapping",
            "Properties": {
                "EventSourceArn": {"Fn::GetAtt": [queue_id, "Arn"]},
                "FunctionName": {"Ref": function_id},
                "BatchSize": trigger.batch_size,
            },
        }
        source = trigger.source
        if source is None:
            return
        rules = [
            {"Name": "prefix", "Value": source.prefix},
            {"Name": "suffix", "Value": source.suffix},
        ]
        self.resources[bucket_id] = {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketName": source.bucket,
                "NotificationConfiguration": {
                    "QueueConfigurations": [
                        {
                            "Event": "s3:ObjectCreated:*",
                            "Queue": {"Fn::GetAtt": [queue_id, "Arn"]},
                            "Filter": {"S3Key": {"Rules": rules}},
                        }
                    ]
                },
            },
        }
        if bucket_variable:
            variables = self.resources[function_id]["Properties"]["Environment"]["Variables"]
            variables[bucket_variable] = {"Ref": bucket_id}

    def schedule(self, function_id: str, expression: str) -> None:
        self.resources[f"{function_id}Rule"] = {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Name": unique("rule"),
                "ScheduleExpression": expression,
                "Targets": [{"Id": "target", "Arn": {"Fn::GetAtt": [function_id, "Arn"]}}],
            },
        }

    def write(self, folder: Path) -> Path:
        """The template as folder/stack.yaml; returns the folder (what stackspec reads)."""
        folder.mkdir(parents=True, exist_ok=True)
        document = {"Parameters": self.parameters, "Resources": self.resources}
        (folder / "stack.yaml").write_text(json.dumps(document, indent=2), encoding="utf-8")
        return folder
