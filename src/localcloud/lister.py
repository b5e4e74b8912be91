"""The fallback dispatcher for an S3 that cannot notify a queue (MinIO): list, then invoke.

It lists the declared prefix and suffix every second and hands each new object version to the
function as the same SQS-wrapped S3 notification the queue would carry. Trade-offs against the
real path: up to one interval of extra latency, one LIST per second whatever the traffic (slow
for a prefix of many thousands of objects), no queue (so no visibility timeout, no dead-letter
queue: a failing object is tried the declared maxReceiveCount times, then left alone), and
objects already present at start are treated as seen.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import TYPE_CHECKING, Any, Self

from localcloud import console
from localcloud.loop import BackgroundLoop
from localcloud.poller import failed_ids, to_sqs_event

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from localcloud.functions import FunctionHost
    from stackspec import QueueTrigger


def s3_notification(bucket: str, key: str, size: int, etag: str, queue: str) -> dict[str, Any]:
    """The body S3 sends to a queue for one new object."""
    from urllib.parse import quote_plus

    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": queue,
                    "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                    "object": {"key": quote_plus(key, safe="/"), "size": size, "eTag": etag},
                },
            }
        ]
    }


class Lister(BackgroundLoop):
    """Lists the bucket's declared prefix on a thread of its own and dispatches what is new."""

    name, interval, failure = "lister", 1.0, "cannot list the bucket"

    def __init__(
        self, s3: S3Client, bucket: str, trigger: QueueTrigger, function: FunctionHost
    ) -> None:
        super().__init__()
        if trigger.source is None:
            raise ValueError(f"the queue {trigger.queue} has no bucket to list")
        self.s3, self.bucket, self.function = s3, bucket, function
        self.trigger, self.prefix, self.suffix = (
            trigger,
            trigger.source.prefix,
            trigger.source.suffix,
        )
        self._seen: set[tuple[str, str]] = set()
        self._attempts: dict[tuple[str, str], int] = {}

    def remember_existing(self) -> None:
        """Treat what is already there as seen: a restart must not dispatch everything again."""
        self._seen = {(key, etag) for key, etag, _ in self._list()}

    def start(self) -> Self:
        self.remember_existing()
        return super().start()

    def step(self) -> None:
        self.scan_once()

    def _list(self) -> list[tuple[str, str, int]]:
        found = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        ):
            for item in page.get("Contents", []):
                if item["Key"].endswith(self.suffix):
                    found.append((item["Key"], item["ETag"].strip('"'), item["Size"]))
        return found

    def scan_once(self) -> int:
        """Dispatch every object not seen yet; returns how many were dispatched."""
        dispatched = 0
        for key, etag, size in self._list():
            if (key, etag) not in self._seen:
                self._dispatch(key, etag, size)
                dispatched += 1
        return dispatched

    def _dispatch(self, key: str, etag: str, size: int) -> None:
        message_id = str(uuid.uuid4())
        message: Any = {
            "MessageId": message_id,
            "ReceiptHandle": message_id,
            "Body": json.dumps(s3_notification(self.bucket, key, size, etag, self.trigger.queue)),
            "MD5OfBody": "",
            "Attributes": {"ApproximateReceiveCount": "1"},
        }
        event = to_sqs_event([message], f"arn:aws:sqs:us-east-1:000000000000:{self.trigger.queue}")
        invocation = self.function.invoke(event)
        failed = bool(failed_ids(invocation, [message]))
        status = "raised" if invocation.error else ("failed" if failed else "ok")
        console.invocation_line(self.function.name, f"listed {key}"[:60], status, invocation)
        attempts = self._attempts.get((key, etag), 0) + 1
        self._attempts[(key, etag)] = attempts
        most = self.trigger.max_receive_count  # None: no redrive policy, retried until it works
        if not failed or (most is not None and attempts >= most):
            self._seen.add((key, etag))
            if failed:
                console.say(f"{key}: failed {attempts} times, given up (no dead-letter queue)")
