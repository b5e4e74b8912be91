"""The S3 + SQS endpoint (moto's server, in this process) and the resources templates declare."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import FilterRuleTypeDef, QueueConfigurationTypeDef
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.literals import QueueAttributeNameType

    from stackspec import QueueTrigger
    from stackspec.model import BucketSource


class MotoEndpoint:
    """moto's threaded server on 127.0.0.1: S3 and SQS on one port, state in memory."""

    def __init__(self, port: int) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log per request
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self._server.start()
        host, bound = self._server.get_host_and_port()
        self.url = f"http://{host}:{bound}"

    def stop(self) -> None:
        self._server.stop()


@dataclass(frozen=True)
class Queues:
    """A declared queue trigger's queue and its dead-letter queue, as created locally."""

    url: str
    arn: str
    dlq_url: str | None  # None: no redrive policy declared
    trigger: QueueTrigger


def create_bucket(s3: S3Client, bucket: str) -> None:
    """A versioned bucket (idempotent)."""
    existing = {item["Name"] for item in s3.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


def create_queues(sqs: SQSClient, trigger: QueueTrigger) -> Queues:
    """The trigger's queue with its declared visibility timeout and redrive policy."""
    attributes: dict[QueueAttributeNameType, str] = {
        "VisibilityTimeout": str(trigger.visibility_timeout)
    }
    dlq_url = None
    if trigger.dead_letter_queue is not None and trigger.max_receive_count is not None:
        dlq_url = sqs.create_queue(QueueName=trigger.dead_letter_queue)["QueueUrl"]
        redrive = {
            "deadLetterTargetArn": _arn(sqs, dlq_url),
            "maxReceiveCount": str(trigger.max_receive_count),
        }
        attributes["RedrivePolicy"] = json.dumps(redrive)
    url = sqs.create_queue(QueueName=trigger.queue, Attributes=attributes)["QueueUrl"]
    return Queues(url=url, arn=_arn(sqs, url), dlq_url=dlq_url, trigger=trigger)


def notify_queue(s3: S3Client, bucket: str, queues: Queues, source: BucketSource) -> None:
    """S3 -> SQS for new objects under the declared prefix and suffix, beside other queues'."""
    rules: list[FilterRuleTypeDef] = []
    if source.prefix:
        rules.append({"Name": "prefix", "Value": source.prefix})
    if source.suffix:
        rules.append({"Name": "suffix", "Value": source.suffix})
    entry: QueueConfigurationTypeDef = {
        "Id": queues.trigger.queue,
        "QueueArn": queues.arn,
        "Events": ["s3:ObjectCreated:*"],
    }
    if rules:
        entry["Filter"] = {"Key": {"FilterRules": rules}}
    current = s3.get_bucket_notification_configuration(Bucket=bucket)
    others = [c for c in current.get("QueueConfigurations", []) if c.get("Id") != entry["Id"]]
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [*others, entry]}
    )


def _arn(sqs: SQSClient, url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]
