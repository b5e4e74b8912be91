"""S3 -> SQS -> function on moto's real HTTP API: notification filter, retries, dead letters."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

import pytest

from localcloud import emulator
from localcloud.poller import Poller
from tests.fixtures.events import load_event
from tests.localcloud.declarations import queue_trigger

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient

    from localcloud.functions import FunctionHost

# Fails each record whose object key appears in FAIL_KEYS fewer times than FAIL_TIMES allows.
FLAKY_HANDLER = """
import json
FAIL_TIMES = {fail_times}
SEEN = {{}}
CALLS = []

def handler(event, context):
    failures = []
    for record in event["Records"]:
        body = json.loads(record["body"])
        keys = [r["s3"]["object"]["key"] for r in body.get("Records", [])]
        CALLS.append(keys or [body.get("Event")])
        for key in keys:
            SEEN[key] = SEEN.get(key, 0) + 1
            if SEEN[key] <= FAIL_TIMES:
                failures.append({{"itemIdentifier": record["messageId"]}})
    return {{"batchItemFailures": failures}}
"""


def wire(s3: S3Client, sqs: SQSClient, **changes: Any) -> tuple[str, emulator.Queues]:
    """A bucket whose imports/*.csv notify a fresh queue with a dead-letter queue (3 receives)."""
    trigger = queue_trigger(**changes)
    assert trigger.source is not None
    bucket = trigger.source.bucket
    emulator.create_bucket(s3, bucket)
    queues = emulator.create_queues(sqs, trigger)
    emulator.notify_queue(s3, bucket, queues, trigger.source)
    drain(sqs, queues.url)  # the s3:TestEvent S3 sends when a notification is set
    return bucket, queues


@pytest.fixture
def wired(s3_client: S3Client, sqs_client: SQSClient) -> tuple[str, emulator.Queues]:
    return wire(s3_client, sqs_client)


@pytest.fixture
def make_poller(
    sqs_client: SQSClient,
    wired: tuple[str, emulator.Queues],
    function_package: Callable[[str], FunctionHost],
) -> Callable[[str], Poller]:
    """A poller of the wired queue for a function made from handler source, retrying at once."""

    def make(handler_source: str) -> Poller:
        host = function_package(handler_source)
        return Poller(sqs_client, wired[1], host, retry_delay=0)

    return make


def drain(sqs: SQSClient, url: str) -> list[dict[str, Any]]:
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


def module_of(host: FunctionHost) -> Any:
    import sys

    return sys.modules[host.handler.rpartition(".")[0]]


def test_only_new_csv_objects_under_imports_notify_the_queue(
    s3_client: S3Client, sqs_client: SQSClient, wired: tuple[str, emulator.Queues]
) -> None:
    bucket, queues = wired
    for key in ("imports/a.csv", "imports/b.txt", "reports/a.csv", "imports/sub/c.csv"):
        s3_client.put_object(Bucket=bucket, Key=key, Body=b"name,email\n")
    bodies = drain(sqs_client, queues.url)
    keys = sorted(body["Records"][0]["s3"]["object"]["key"] for body in bodies)
    # moto URL-encodes the key in full ("/" too), as S3 encodes it in part: decode both ways
    assert [key.replace("%2F", "/") for key in keys] == ["imports/a.csv", "imports/sub/c.csv"]
    assert all(body["Records"][0]["eventName"].startswith("ObjectCreated:") for body in bodies)


def test_failed_record_is_retried_then_deleted(
    s3_client: S3Client,
    sqs_client: SQSClient,
    wired: tuple[str, emulator.Queues],
    make_poller: Callable[[str], Poller],
) -> None:
    # GIVEN a function that fails each object once
    bucket, queues = wired
    poller = make_poller(FLAKY_HANDLER.format(fail_times=1))
    s3_client.put_object(Bucket=bucket, Key="imports/flaky.csv", Body=b"name,email\n")
    # WHEN the poller runs until the queue is empty
    assert poller.poll_once(wait_seconds=1) == 1
    assert poller.poll_once(wait_seconds=1) == 1
    assert poller.poll_once(wait_seconds=0) == 0
    # THEN the function saw it twice, and nothing is left, in the queue or its DLQ
    assert module_of(poller.function).SEEN == {"imports%2Fflaky.csv": 2}
    assert drain(sqs_client, queues.url) == []
    assert queues.dlq_url is not None
    assert drain(sqs_client, queues.dlq_url) == []


def test_record_failing_every_time_ends_in_the_dead_letter_queue(
    s3_client: S3Client,
    sqs_client: SQSClient,
    wired: tuple[str, emulator.Queues],
    make_poller: Callable[[str], Poller],
    capsys: pytest.CaptureFixture[str],
) -> None:
    bucket, queues = wired
    poller = make_poller(FLAKY_HANDLER.format(fail_times=99))
    s3_client.put_object(Bucket=bucket, Key="imports/poison.csv", Body=b"x")
    for _ in range(3):
        assert poller.poll_once(wait_seconds=1) == 1
    assert poller.poll_once(wait_seconds=0) == 0  # SQS moved it on this receive
    assert queues.dlq_url is not None
    dead = drain(sqs_client, queues.dlq_url)
    assert [body["Records"][0]["s3"]["object"]["key"] for body in dead] == ["imports%2Fpoison.csv"]
    assert "imports/poison.csv: failed 3 times, moved to the dead-letter queue" in (
        capsys.readouterr().out
    )


def test_crash_fails_the_whole_batch(
    s3_client: S3Client,
    sqs_client: SQSClient,
    wired: tuple[str, emulator.Queues],
    make_poller: Callable[[str], Poller],
) -> None:
    # GIVEN a function that crashes on its first invocation only
    bucket, queues = wired
    poller = make_poller(
        "CALLS = 0\n"
        "def handler(event, context):\n"
        "    global CALLS\n"
        "    CALLS += 1\n"
        "    if CALLS == 1:\n"
        "        raise RuntimeError('first call crashes')\n"
        "    return {'batchItemFailures': []}\n"
    )
    for name in ("a", "b"):
        s3_client.put_object(Bucket=bucket, Key=f"imports/{name}.csv", Body=b"x")
    # WHEN
    received = 0
    while count := poller.poll_once(wait_seconds=1):
        received += count
    # THEN both messages came back after the crash and were deleted after the success
    assert received >= 4
    assert drain(sqs_client, queues.url) == []
    assert queues.dlq_url is not None
    assert drain(sqs_client, queues.dlq_url) == []


def test_retry_lines_say_why_and_tell_a_permanent_failure_from_a_transient_one(
    sqs_client: SQSClient,
    wired: tuple[str, emulator.Queues],
    db: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from localcloud.isolated import ProcessHost
    from stackspec.model import ROOT

    src = ROOT / "src"

    # GIVEN the real importer in a process of its own, as make dev runs it, and two messages
    # that fail: one no retry can help (not JSON), one S3 refuses for now (no such bucket)
    _, queues = wired
    env = {"POWERTOOLS_SERVICE_NAME": "sample_event", "LOG_LEVEL": "WARNING"}
    importer = ProcessHost("sample_event", "sample_event.index.handler", (src,), env, 60.0)
    missing = load_event("s3_object_created")
    missing["Records"][0]["s3"]["bucket"]["name"] = "no-such-bucket-here"
    missing["Records"][0]["s3"]["object"]["key"] = "imports/later.csv"
    for body in ("not json", json.dumps(missing)):
        sqs_client.send_message(QueueUrl=queues.url, MessageBody=body)
    poller = Poller(sqs_client, queues, importer, retry_delay=0)
    try:
        # WHEN the poller hands them to it
        received = 0
        while received < 2:
            received += poller.poll_once(wait_seconds=1)
    finally:
        importer.unload()
    # THEN each retry line says why, and whether retrying can help
    console = capsys.readouterr().out
    assert (
        "message: failed (receive 1): the message is not JSON (permanent: retrying cannot help)"
        ", retried in 0 s" in console
    )
    assert (
        "imports/later.csv: failed (receive 1): s3 GetObject failed (NoSuchBucket) (transient)"
        ", retried in 0 s" in console
    )


def test_queue_and_dead_letter_queue_carry_the_declared_settings(
    s3_client: S3Client, sqs_client: SQSClient
) -> None:
    # GIVEN a trigger declaring a 6 minute visibility timeout and 5 receives
    _, queues = wire(s3_client, sqs_client, visibility_timeout=360, max_receive_count=5)
    # WHEN its queue is read back from the emulator
    attributes = sqs_client.get_queue_attributes(QueueUrl=queues.url, AttributeNames=["All"])
    # THEN it has them, and redrives into the declared dead-letter queue
    assert attributes["Attributes"]["VisibilityTimeout"] == "360"
    redrive = json.loads(attributes["Attributes"]["RedrivePolicy"])
    assert int(redrive["maxReceiveCount"]) == 5
    assert redrive["deadLetterTargetArn"].endswith(f":{queues.trigger.dead_letter_queue}")


def test_a_second_queue_of_the_same_bucket_keeps_the_first_notified(
    s3_client: S3Client, sqs_client: SQSClient, wired: tuple[str, emulator.Queues]
) -> None:
    # GIVEN a second queue notified of the same bucket's reports/*.json
    bucket, first = wired
    assert first.trigger.source is not None
    source = dataclasses.replace(first.trigger.source, prefix="reports/", suffix=".json")
    second = emulator.create_queues(sqs_client, queue_trigger(source=source))
    emulator.notify_queue(s3_client, bucket, second, source)
    for queues in (first, second):
        drain(sqs_client, queues.url)  # S3 sends each configured queue a test event
    # WHEN an object of each kind arrives
    s3_client.put_object(Bucket=bucket, Key="imports/a.csv", Body=b"x")
    s3_client.put_object(Bucket=bucket, Key="reports/a.json", Body=b"x")
    # THEN each queue hears of its own
    for queues, key in ((first, "imports%2Fa.csv"), (second, "reports%2Fa.json")):
        bodies = drain(sqs_client, queues.url)
        assert [body["Records"][0]["s3"]["object"]["key"] for body in bodies] == [key]


@pytest.mark.parametrize(("batch_size", "expected"), [(2, [2] * 6), (11, [11, 1])])
def test_batches_have_the_declared_size_even_above_what_sqs_hands_out_at_once(
    s3_client: S3Client,
    sqs_client: SQSClient,
    function_package: Callable[[str], FunctionHost],
    batch_size: int,
    expected: list[int],
) -> None:
    # GIVEN 12 waiting messages (SQS hands out 10 per call at most)
    bucket, queues = wire(s3_client, sqs_client, batch_size=batch_size)
    for number in range(12):
        s3_client.put_object(Bucket=bucket, Key=f"imports/{number}.csv", Body=b"x")
    poller = Poller(sqs_client, queues, function_package(FLAKY_HANDLER.format(fail_times=0)))
    # WHEN the poller runs until the queue is empty
    sizes = []
    while count := poller.poll_once(wait_seconds=1):
        sizes.append(count)
    # THEN each invocation got a full batch of the declared size while enough were waiting
    assert sizes == expected
