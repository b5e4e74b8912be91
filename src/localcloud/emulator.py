"""The S3 + SQS endpoint (moto's server, in this process) and the resources production has."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import QueueConfigurationTypeDef
    from mypy_boto3_sqs import SQSClient

IMPORTS_PREFIX = "imports/"
IMPORTS_SUFFIX = ".csv"
MAX_RECEIVES = 3  # the redrive policy's maxReceiveCount: then the dead-letter queue
VISIBILITY_TIMEOUT = 60


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
    """The queue S3 notifies and its dead-letter queue."""

    url: str
    arn: str
    dlq_url: str


def create_bucket(s3: S3Client, bucket: str) -> None:
    """The versioned import bucket (idempotent)."""
    existing = {item["Name"] for item in s3.list_buckets().get("Buckets", [])}
    if bucket not in existing:
        s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})


def create_queues(sqs: SQSClient, bucket: str) -> Queues:
    """The import queue, with a redrive policy into its dead-letter queue."""
    dlq_url = sqs.create_queue(QueueName=f"{bucket}-imports-dlq")["QueueUrl"]
    dlq_arn = _arn(sqs, dlq_url)
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVES)}
    url = sqs.create_queue(
        QueueName=f"{bucket}-imports",
        Attributes={
            "RedrivePolicy": json.dumps(redrive),
            "VisibilityTimeout": str(VISIBILITY_TIMEOUT),
        },
    )["QueueUrl"]
    return Queues(url=url, arn=_arn(sqs, url), dlq_url=dlq_url)


def notify_queue(s3: S3Client, bucket: str, queue_arn: str) -> None:
    """S3 -> SQS for new imports/*.csv objects, as the CloudFormation stack configures it."""
    queue: QueueConfigurationTypeDef = {
        "Id": "imports-to-queue",
        "QueueArn": queue_arn,
        "Events": ["s3:ObjectCreated:*"],
        "Filter": {
            "Key": {
                "FilterRules": [
                    {"Name": "prefix", "Value": IMPORTS_PREFIX},
                    {"Name": "suffix", "Value": IMPORTS_SUFFIX},
                ]
            }
        },
    }
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [queue]}
    )


def _arn(sqs: SQSClient, url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return attributes["Attributes"]["QueueArn"]
