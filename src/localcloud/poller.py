"""Lambda's SQS event-source mapping, locally: receive, invoke, delete what succeeded.

With ReportBatchItemFailures on, the records the function lists in `batchItemFailures` stay
in the queue and come back; a crash fails the whole batch. After MAX_RECEIVES receives, the
queue's redrive policy moves a record to the dead-letter queue.

One local difference: in AWS a failed record reappears when the queue's visibility timeout
ends; here it reappears after `retry_delay` seconds, so that a retry shows up while you watch.
Each retry line says why the record failed, as the function logged it (localcloud.failures).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from localcloud import console
from localcloud.loop import BackgroundLoop

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.type_defs import MessageTypeDef

    from localcloud.emulator import Queues
    from localcloud.functions import FunctionHost, Invocation

BATCH_SIZE = 10


def to_sqs_event(messages: list[MessageTypeDef], queue_arn: str) -> dict[str, Any]:
    """The event Lambda passes for a batch of SQS messages."""
    region = queue_arn.split(":")[3]
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for message in messages
        ]
    }


def failed_ids(invocation: Invocation, records: list[MessageTypeDef]) -> set[str]:
    """The message ids to leave in the queue, read the way Lambda reads the response."""
    every = {record["MessageId"] for record in records}
    if invocation.error is not None:
        return every
    result = invocation.result
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return set()
    try:
        return {str(item["itemIdentifier"]) for item in result["batchItemFailures"]} & every
    except (TypeError, KeyError):
        return every  # a malformed response fails the whole batch, as in Lambda


def describe(message: MessageTypeDef) -> str:
    """A short label for the console: the object keys the message notifies, or its kind."""
    try:
        body = json.loads(message["Body"])
        keys = [unquote_plus(r["s3"]["object"]["key"]) for r in body.get("Records", [])]
        return ", ".join(keys) or str(body.get("Event", "message"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return "message"


class Poller(BackgroundLoop):
    """Receives from the queue on a thread of its own until stopped."""

    name, failure = "poller", "cannot receive from the queue"

    def __init__(
        self,
        sqs: SQSClient,
        queues: Queues,
        function: FunctionHost,
        *,
        max_receives: int,
        retry_delay: int = 1,
    ) -> None:
        super().__init__()
        self.sqs, self.queues, self.function = sqs, queues, function
        self.max_receives, self.retry_delay = max_receives, retry_delay

    def step(self) -> None:
        self.poll_once(wait_seconds=1)  # a long poll: the wait is here, not between steps

    def poll_once(self, wait_seconds: int) -> int:
        """Receive one batch and hand it to the function; returns how many messages came."""
        received = self.sqs.receive_message(
            QueueUrl=self.queues.url,
            MaxNumberOfMessages=BATCH_SIZE,
            WaitTimeSeconds=wait_seconds,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = received.get("Messages", [])
        if messages:
            self._dispatch(messages)
        return len(messages)

    def _dispatch(self, messages: list[MessageTypeDef]) -> None:
        invocation = self.function.invoke(to_sqs_event(messages, self.queues.arn))
        failed = failed_ids(invocation, messages)
        label = f"SQS {len(messages)} record(s): {', '.join(map(describe, messages))}"
        # An exception fails the batch (Powertools raises one when every record failed).
        status = "raised" if invocation.error else (f"{len(failed)} failed" if failed else "ok")
        console.invocation_line(self.function.name, label[:60], status, invocation)
        if invocation.error is not None:
            console.say(
                f"{self.function.name} raised {type(invocation.error).__name__}: batch failed"
            )
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queues.url,
                Entries=[{"Id": m["MessageId"], "ReceiptHandle": m["ReceiptHandle"]} for m in done],
            )
        for message in messages:
            if message["MessageId"] in failed:
                self._retry_later(message, invocation.failures.get(message["MessageId"]))

    def _retry_later(self, message: MessageTypeDef, reason: str | None) -> None:
        receives = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
        why = f": {reason}" if reason else ""
        if receives >= self.max_receives:
            console.say(
                f"{describe(message)}: failed {receives} times, moved to the dead-letter queue "
                f"({self.queues.dlq_url.rsplit('/', 1)[-1]}){why}"
            )
        else:
            console.say(f"{describe(message)}: failed (receive {receives}){why}, retried shortly")
        self.sqs.change_message_visibility(
            QueueUrl=self.queues.url,
            ReceiptHandle=message["ReceiptHandle"],
            VisibilityTimeout=self.retry_delay,
        )
