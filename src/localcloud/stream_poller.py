"""Lambda's DynamoDB Streams event-source mapping, locally, with the settings the template deploys.

For each shard, from where it left off (after the last checkpoint; the trim horizon at first):
read up to BatchSize records, drop those older than MaximumRecordAgeInSeconds, invoke, and
- success: checkpoint at the batch's last record;
- batchItemFailures: checkpoint before the lowest failed sequence number; the next batch
  starts at it (Lambda's "bisect at the returned sequence number");
- an error (raised, or a response Lambda cannot read): with BisectBatchOnFunctionError the
  batch is split in two, which does not count as a retry; else it is retried whole.
After MaximumRetryAttempts retries the failed batch is skipped and its metadata (not its
records) goes to the on-failure queue, as Lambda's on-failure destination sends it.

Local differences: retries follow at once (Lambda's pace is its own); one poller thread reads
the shards one after the other; moto keeps the stream in memory, so it starts empty with
`make dev`.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from localcloud import console
from localcloud.loop import BackgroundLoop

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient
    from mypy_boto3_sqs import SQSClient

    from localcloud.functions import FunctionHost, Invocation
    from stackspec import StreamTrigger

RETRIES_EXHAUSTED, RECORD_TOO_OLD = "RetryAttemptsExhausted", "RecordAgeExceeded"


def create_table(dynamodb: DynamoDBClient, trigger: StreamTrigger) -> str:
    """The trigger's table with its stream of new and old images (idempotent); its stream ARN."""
    # The stackspec record holds plain strings; boto3's stubs want its literal types.
    keys: Any = [{"AttributeName": a, "KeyType": k} for a, k in trigger.key_schema]
    types: Any = [{"AttributeName": a, "AttributeType": t} for a, t in trigger.attributes.items()]
    try:
        table = dynamodb.describe_table(TableName=trigger.table)["Table"]
    except dynamodb.exceptions.ResourceNotFoundException:
        table = dynamodb.create_table(
            TableName=trigger.table,
            KeySchema=keys,
            AttributeDefinitions=types,
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )["TableDescription"]
    return table["LatestStreamArn"]


def to_stream_event(records: list[Any], stream_arn: str) -> dict[str, Any]:
    """The event Lambda passes for records read with GetRecords (boto3's shapes)."""
    return {"Records": [_lambda_record(record, stream_arn) for record in records]}


def _lambda_record(record: Any, stream_arn: str) -> dict[str, Any]:
    # GetRecords gives datetimes, bytes and a capitalised userIdentity; Lambda's event has
    # epoch seconds, base64 text and lower-case keys.
    stream = dict(record["dynamodb"])
    created = stream.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        stream["ApproximateCreationDateTime"] = created.timestamp()
    event = {
        key: record[key]
        for key in ("eventID", "eventName", "eventVersion", "eventSource", "awsRegion")
        if key in record
    }
    event["dynamodb"] = _base64_bytes(stream)
    event["eventSourceARN"] = stream_arn
    identity = record.get("userIdentity")
    if identity:
        event["userIdentity"] = {"type": identity["Type"], "principalId": identity["PrincipalId"]}
    return event


def _base64_bytes(node: Any) -> Any:
    if isinstance(node, bytes):
        return base64.b64encode(node).decode()
    if isinstance(node, dict):
        return {key: _base64_bytes(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_base64_bytes(value) for value in node]
    return node


def lowest_failure(invocation: Invocation, records: list[Any]) -> int | None:
    """The index of the first record to retry, read as Lambda reads the response; None: all done."""
    if invocation.error is not None:
        return 0
    result = invocation.result
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return None
    numbers = [r["dynamodb"]["SequenceNumber"] for r in records]
    try:
        failed = {str(item["itemIdentifier"]) for item in result["batchItemFailures"]}
    except (TypeError, KeyError):
        return 0  # a malformed response fails the whole batch, as in Lambda
    if not failed <= set(numbers):
        return 0  # so does an identifier that is not in the batch (an empty one too)
    return min(numbers.index(number) for number in failed)


@dataclass
class _Shard:
    """Where one shard stands: its checkpoint and the batch being retried."""

    checkpoint: str | None = None  # the last sequence number done with
    attempts: int = 0  # failed invocations of the batch that starts after the checkpoint
    limit: int | None = None  # a bisected batch's size; None: BatchSize


class StreamPoller(BackgroundLoop):
    """Reads the trigger's stream on a thread of its own until stopped, ~4 times a second."""

    name, failure, interval = "stream poller", "cannot read the stream", 0.25

    def __init__(
        self,
        trigger: StreamTrigger,
        function: FunctionHost,
        *,
        stream_arn: str,
        streams: DynamoDBStreamsClient,
        sqs: SQSClient,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__()
        self.trigger, self.function, self.stream_arn = trigger, function, stream_arn
        self.streams, self.sqs, self.clock = streams, sqs, clock
        self.shards: dict[str, _Shard] = {}
        self._queue_url: str | None = None

    def step(self) -> None:
        self.poll_once()

    def poll_once(self) -> int:
        """One batch per shard handed to the function; returns how many records were read."""
        description = self.streams.describe_stream(StreamArn=self.stream_arn)
        shards = description["StreamDescription"].get("Shards", [])
        return sum(self._poll(shard["ShardId"]) for shard in shards)

    def _poll(self, shard_id: str) -> int:
        state = self.shards.setdefault(shard_id, _Shard())
        records = self._read(shard_id, state)
        if not records:
            return 0
        fresh = self._drop_old(shard_id, state, records)
        if fresh:
            self._invoke(shard_id, state, fresh)
        return len(records)

    def _read(self, shard_id: str, state: _Shard) -> list[Any]:
        if state.checkpoint is None:
            where: dict[str, Any] = {"ShardIteratorType": "TRIM_HORIZON"}
        else:
            where = {
                "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                "SequenceNumber": state.checkpoint,
            }
        iterator = self.streams.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard_id, **where
        )["ShardIterator"]
        limit = state.limit or self.trigger.batch_size
        return list(self.streams.get_records(ShardIterator=iterator, Limit=limit)["Records"])

    def _drop_old(self, shard_id: str, state: _Shard, records: list[Any]) -> list[Any]:
        """Skip the records older than the trigger allows (they lead: a shard is in order)."""
        if self.trigger.maximum_record_age < 0:
            return records
        oldest = self.clock() - self.trigger.maximum_record_age
        old = [r for r in records if _created(r) < oldest]
        if old:
            self._give_up(shard_id, state, old, RECORD_TOO_OLD, None)
        return records[len(old) :]

    def _invoke(self, shard_id: str, state: _Shard, records: list[Any]) -> None:
        invocation = self.function.invoke(to_stream_event(records, self.stream_arn))
        failed_at = lowest_failure(invocation, records)
        names = ", ".join(sorted({str(r["eventName"]) for r in records}))
        label = f"DynamoDB {len(records)} record(s): {names}"
        back = 0 if failed_at is None else len(records) - failed_at
        status = "raised" if invocation.error else (f"{back} retry" if back else "ok")
        console.invocation_line(self.function.name, label[:40], status, invocation)
        if failed_at is None:
            state.checkpoint, state.attempts, state.limit = _number(records[-1]), 0, None
            return
        if failed_at > 0:  # the records before the failure are done; the rest is a new batch
            state.checkpoint, state.attempts = _number(records[failed_at - 1]), 0
        retry = records[failed_at:]
        if invocation.error is not None and self.trigger.bisect_on_error and len(retry) > 1:
            state.limit = len(retry) // 2  # a split does not count as a retry
            return
        state.attempts += 1
        limit = self.trigger.maximum_retry_attempts
        if 0 <= limit < state.attempts:
            self._give_up(shard_id, state, retry, RETRIES_EXHAUSTED, invocation)

    def _give_up(
        self,
        shard_id: str,
        state: _Shard,
        records: list[Any],
        condition: str,
        invocation: Invocation | None,
    ) -> None:
        """Skip the records; their metadata goes to the on-failure queue, if there is one."""
        first, last = _number(records[0]), _number(records[-1])
        queue = self.trigger.on_failure_queue
        if queue is not None:
            body = self._failure_record(shard_id, records, condition, state.attempts, invocation)
            self.sqs.send_message(QueueUrl=self._queue(queue), MessageBody=json.dumps(body))
        where = f"the on-failure queue ({queue})" if queue else "nowhere (no on-failure queue)"
        console.say(f"records {first}..{last}: {condition}, skipped; metadata sent to {where}")
        state.checkpoint, state.attempts, state.limit = last, 0, None

    def _failure_record(
        self,
        shard_id: str,
        records: list[Any],
        condition: str,
        attempts: int,
        invocation: Invocation | None,
    ) -> dict[str, Any]:
        """What Lambda sends to a stream's on-failure destination: where, not what."""
        response: dict[str, Any] = {"statusCode": 200, "executedVersion": "$LATEST"}
        if invocation is not None and invocation.error is not None:
            response["functionError"] = "Unhandled"
        arrivals = [_iso(_created(r)) for r in records]
        context = {
            "requestId": str(uuid.uuid4()),
            "functionArn": f"arn:aws:lambda:us-east-1:000000000000:function:{self.function.name}",
            "condition": condition,
            "approximateInvokeCount": attempts,
        }
        return {
            "requestContext": context,
            **({"responseContext": response} if invocation is not None else {}),
            "version": "1.0",
            "timestamp": _iso(self.clock()),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": _number(records[0]),
                "endSequenceNumber": _number(records[-1]),
                "approximateArrivalOfFirstRecord": arrivals[0],
                "approximateArrivalOfLastRecord": arrivals[-1],
                "batchSize": len(records),
                "streamArn": self.stream_arn,
            },
        }

    def _queue(self, name: str) -> str:
        if self._queue_url is None:
            self._queue_url = self.sqs.get_queue_url(QueueName=name)["QueueUrl"]
        return self._queue_url


def _number(record: Any) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


def _created(record: Any) -> float:
    created = record["dynamodb"].get("ApproximateCreationDateTime")
    return created.timestamp() if isinstance(created, datetime) else float(created or 0)


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
