"""DynamoDB stream -> function on moto's HTTP API: checkpoints, retries, bisection, discards."""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from localcloud.functions import FunctionHost
from localcloud.paths import REPO_ROOT
from localcloud.stream_poller import StreamPoller, create_table

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import psycopg
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sqs import SQSClient

# Records each batch's keys; fails (raising, or by batchItemFailures) on the keys it is told.
KEYS_HANDLER = """
BATCHES = []
RAISE_ON = {raise_on!r}
REPORT = {report!r}  # key -> how many times to report it failed

def handler(event, context):
    keys = [r["dynamodb"]["Keys"]["email"]["S"] for r in event["Records"]]
    BATCHES.append(keys)
    if RAISE_ON & set(keys):
        raise RuntimeError("poison in the batch")
    failed = []
    for record, key in zip(event["Records"], keys):
        if REPORT.get(key, 0) > 0:
            REPORT[key] -= 1
            failed.append({{"itemIdentifier": record["dynamodb"]["SequenceNumber"]}})
    return {{"batchItemFailures": failed}}
"""


@dataclasses.dataclass
class Stream:
    """A fresh table of the template's shape and its on-failure queue, on the session's moto."""

    trigger: stackspec.StreamTrigger
    arn: str
    dynamodb: DynamoDBClient
    sqs: SQSClient
    queue_url: str

    def put(self, email: str, display_name: str = "Someone") -> None:
        item = {"email": {"S": email}, "display_name": {"S": display_name}}
        self.dynamodb.put_item(TableName=self.trigger.table, Item=item)

    def failures(self) -> list[dict[str, Any]]:
        """The on-failure queue's messages, taken off it."""
        found = []
        while messages := self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=10
        ).get("Messages"):
            for message in messages:
                found.append(json.loads(message["Body"]))
                self.sqs.delete_message(
                    QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"]
                )
        return found


@pytest.fixture
def stream(s3_endpoint: str) -> Stream:
    import boto3

    declared = stackspec.function("sample_stream").trigger(stackspec.StreamTrigger)
    assert isinstance(declared, stackspec.StreamTrigger)
    suffix = uuid.uuid4().hex[:10]
    trigger = dataclasses.replace(
        declared, table=f"profiles-{suffix}", on_failure_queue=f"failures-{suffix}"
    )
    dynamodb = boto3.client("dynamodb", endpoint_url=s3_endpoint)
    sqs = boto3.client("sqs", endpoint_url=s3_endpoint)
    queue_url = sqs.create_queue(QueueName=f"failures-{suffix}")["QueueUrl"]
    return Stream(trigger, create_table(dynamodb, trigger), dynamodb, sqs, queue_url)


@pytest.fixture
def make_stream_poller(s3_endpoint: str, stream: Stream) -> Callable[..., StreamPoller]:
    """A poller of the stream for a host, with the declared settings unless told otherwise."""
    import boto3

    streams = boto3.client("dynamodbstreams", endpoint_url=s3_endpoint)

    def make(
        host: FunctionHost, clock: Callable[[], float] = time.time, **settings: Any
    ) -> StreamPoller:
        trigger = dataclasses.replace(stream.trigger, **settings)
        return StreamPoller(
            trigger, host, stream_arn=stream.arn, streams=streams, sqs=stream.sqs, clock=clock
        )

    return make


@pytest.fixture
def mirror_host(database_url: str, db: psycopg.Connection[Any]) -> Iterator[FunctionHost]:
    """The real sample_stream handler, loaded as the local cloud loads it, on the test database."""
    src = REPO_ROOT / "src"
    host = FunctionHost(
        "sample_stream",
        "sample_stream.index.handler",
        (src / "sample_stream", src / "shared"),
        {"DATABASE_URL": database_url, "POWERTOOLS_SERVICE_NAME": "sample_stream"},
    )
    yield host
    host.unload()


def keys_host(
    function_package: Callable[..., FunctionHost],
    *,
    raise_on: frozenset[str] = frozenset(),
    report: dict[str, int] | None = None,
) -> FunctionHost:
    """A host for KEYS_HANDLER, raising on the keys `raise_on`, reporting those of `report`."""
    return function_package(KEYS_HANDLER.format(raise_on=set(raise_on), report=report or {}))


def batches(host: FunctionHost) -> list[list[str]]:
    """The keys of each batch the function saw ([] when it never ran)."""
    import sys

    module = sys.modules.get(host.handler.rpartition(".")[0])
    return list(module.BATCHES) if module is not None else []


def printed(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """What the test printed so far: console lines and the function's own log lines.

    Printed again, so that the session's log scan still reads the function's lines.
    """
    out = capsys.readouterr().out
    print(out, end="")
    return out.splitlines()


def poll_until_quiet(poller: StreamPoller, limit: int = 50) -> None:
    for _ in range(limit):
        if poller.poll_once() == 0:
            return
    raise AssertionError(f"the stream still had records after {limit} polls")


def test_a_put_item_reaches_postgresql_through_the_real_handler(
    stream: Stream,
    make_stream_poller: Callable[..., StreamPoller],
    mirror_host: FunctionHost,
    db: psycopg.Connection[Any],
) -> None:
    # GIVEN the poller running, as under `make dev`
    poller = make_stream_poller(mirror_host).start()
    try:
        # WHEN an item is written with boto3
        stream.put("ada@example.com", "Ada")
        # THEN it is in PostgreSQL shortly (the wait bounds a hang; bench_stream times it)
        deadline = time.monotonic() + 10
        row = None
        while row is None and time.monotonic() < deadline:
            row = db.execute(
                "SELECT display_name FROM profiles WHERE email = 'ada@example.com'"
            ).fetchone()
            time.sleep(0.02)
    finally:
        poller.stop()
    assert row == ("Ada",)


def test_a_poison_record_ends_on_the_on_failure_queue_after_the_retry_limit(
    stream: Stream,
    make_stream_poller: Callable[..., StreamPoller],
    mirror_host: FunctionHost,
    db: psycopg.Connection[Any],
) -> None:
    # GIVEN a key the mirror can never apply, then a good item, and the declared retry limit
    poller = make_stream_poller(mirror_host)
    retries = poller.trigger.maximum_retry_attempts
    stream.put("not-an-email")
    stream.put("alan@example.com", "Alan")
    # WHEN the poller runs until the stream is quiet
    poll_until_quiet(poller)
    # THEN the record came back until the limit, then its metadata went to the queue
    [failure] = stream.failures()
    assert failure["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert failure["requestContext"]["approximateInvokeCount"] == retries + 1
    info = failure["DDBStreamBatchInfo"]
    assert (info["streamArn"], info["batchSize"]) == (stream.arn, 2)  # from the poison on
    assert int(info["startSequenceNumber"]) < int(info["endSequenceNumber"])
    # AND the good item, after it in every batch, was applied; the poison wrote nothing
    assert db.execute("SELECT email FROM profiles").fetchall() == [("alan@example.com",)]


def test_batch_item_failures_restart_from_the_lowest_failed_record(
    stream: Stream,
    make_stream_poller: Callable[..., StreamPoller],
    function_package: Callable[..., FunctionHost],
    capsys: pytest.CaptureFixture[str],
) -> None:
    host = keys_host(function_package, report={"b": 1, "c": 1})
    for key in ("a", "b", "c"):
        stream.put(key)
    poll_until_quiet(make_stream_poller(host))
    assert batches(host) == [["a", "b", "c"], ["b", "c"]]
    assert stream.failures() == []
    # one console line per invocation
    lines = [line for line in printed(capsys) if line[9:].startswith(host.name)]
    assert ["DynamoDB 3 record(s): INSERT" in lines[0], "2 retry" in lines[0]] == [True, True]
    assert ["DynamoDB 2 record(s): INSERT" in lines[1], " ok " in lines[1]] == [True, True]


def test_a_raising_batch_is_bisected_until_only_the_poison_record_is_skipped(
    stream: Stream,
    make_stream_poller: Callable[..., StreamPoller],
    function_package: Callable[..., FunctionHost],
) -> None:
    # GIVEN a function that raises whenever its batch holds "p", one retry, bisection on
    host = keys_host(function_package, raise_on=frozenset("p"))
    for key in ("a", "p", "b", "c"):
        stream.put(key)
    # WHEN
    poll_until_quiet(make_stream_poller(host, maximum_retry_attempts=1, bisect_on_error=True))
    # THEN the halves narrow down to "p" (splits are not retries), which alone is skipped
    assert batches(host) == [["a", "p", "b", "c"], ["a", "p"], ["a"], ["p", "b", "c"], ["p"],
                             ["p"], ["b", "c"]]  # fmt: skip
    [failure] = stream.failures()
    assert failure["DDBStreamBatchInfo"]["batchSize"] == 1
    assert failure["responseContext"]["functionError"] == "Unhandled"


def test_without_bisection_a_raising_batch_is_skipped_whole(
    stream: Stream,
    make_stream_poller: Callable[..., StreamPoller],
    function_package: Callable[..., FunctionHost],
) -> None:
    host = keys_host(function_package, raise_on=frozenset("p"))
    for key in ("a", "p"):
        stream.put(key)
    poll_until_quiet(make_stream_poller(host, maximum_retry_attempts=2, bisect_on_error=False))
    assert batches(host) == [["a", "p"]] * 3
    [failure] = stream.failures()
    assert failure["DDBStreamBatchInfo"]["batchSize"] == 2


def test_records_older_than_the_maximum_age_are_skipped_untried(
    stream: Stream,
    make_stream_poller: Callable[..., StreamPoller],
    function_package: Callable[..., FunctionHost],
) -> None:
    host = keys_host(function_package)
    stream.put("a")
    an_hour_later = time.time() + 3600
    poll_until_quiet(make_stream_poller(host, clock=lambda: an_hour_later, maximum_record_age=60))
    assert batches(host) == []
    [failure] = stream.failures()
    assert failure["requestContext"]["condition"] == "RecordAgeExceeded"
    assert "responseContext" not in failure


def test_a_shard_is_read_from_where_it_left_off(
    stream: Stream,
    make_stream_poller: Callable[..., StreamPoller],
    function_package: Callable[..., FunctionHost],
) -> None:
    host = keys_host(function_package)
    poller = make_stream_poller(host)
    stream.put("a")
    poll_until_quiet(poller)
    stream.put("b")
    poll_until_quiet(poller)
    assert batches(host) == [["a"], ["b"]]


def test_batches_hold_at_most_the_declared_batch_size(
    stream: Stream,
    make_stream_poller: Callable[..., StreamPoller],
    function_package: Callable[..., FunctionHost],
) -> None:
    host = keys_host(function_package)
    for key in "abcde":
        stream.put(key)
    poll_until_quiet(make_stream_poller(host, batch_size=2))
    assert batches(host) == [["a", "b"], ["c", "d"], ["e"]]
