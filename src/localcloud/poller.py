"""Lambda's SQS event-source mapping, locally: receive, invoke, delete what succeeded.

With ReportBatchItemFailures on, the records the function lists in `batchItemFailures` stay
in the queue and come back; a crash fails the whole batch. After the declared maxReceiveCount
receives, the queue's redrive policy moves a record to the dead-letter queue. Batches have the
declared batch size.

One local difference: in AWS a failed record reappears when the queue's visibility timeout
ends; here it reappears after `declared.retry_delay` (the timeout scaled down), so that a
retry shows up while you watch. Each retry line says why the record failed, as the function
logged it (localcloud.failures).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from localcloud import console, declared
from localcloud.loop import BackgroundLoop

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.type_defs import MessageTypeDef

    from localcloud.emulator import Queues
    from localcloud.functions import FunctionHost, Invocation


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
        retry_delay: int | None = None,
    ) -> None:
        super().__init__()
        self.sqs, self.queues, self.function = sqs, queues, function
        self.batch_size = queues.trigger.batch_size
        self.max_receives = queues.trigger.max_receive_count
        self.retry_delay = (
            declared.retry_delay(queues.trigger) if retry_delay is None else retry_delay
        )

    def step(self) -> None:
        self.poll_once(wait_seconds=1)  # a long poll: the wait is here, not between steps

    def poll_once(self, wait_seconds: int) -> int:
        """Receive one batch and hand it to the function; returns how many messages came."""
        messages: list[MessageTypeDef] = []
        while len(messages) < self.batch_size:
            # SQS hands out 10 at most per call: a larger batch is gathered, as Lambda does.
            wanted = min(self.batch_size - len(messages), 10)
            received = self.sqs.receive_message(
                QueueUrl=self.queues.url,
                MaxNumberOfMessages=wanted,
                WaitTimeSeconds=0 if messages else wait_seconds,
                MessageSystemAttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            messages += received
            if len(received) < wanted:
                break
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
        if self.max_receives is not None and receives >= self.max_receives:
            console.say(
                f"{describe(message)}: failed {receives} times, moved to the dead-letter queue "
                f"({self.queues.trigger.dead_letter_queue}){why}"
            )
        else:
            console.say(
                f"{describe(message)}: failed (receive {receives}){why}, "
                f"retried in {self.retry_delay} s"
            )
        self.sqs.change_message_visibility(
            QueueUrl=self.queues.url,
            ReceiptHandle=message["ReceiptHandle"],
            VisibilityTimeout=self.retry_delay,
        )
