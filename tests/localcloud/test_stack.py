"""`make dev` runs whatever the templates declare: a stack of throwaway functions, in-process.

The template declares two API functions, a queue fed by a bucket, a schedule, a function
`make deploy` invokes once and one with no trigger. One stack runs for the whole module.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from localcloud import declared
from localcloud import stack as local_stack
from localcloud.config import LocalConfig
from stackspec import QueueTrigger
from stackspec.model import BucketSource
from tests.localcloud.declarations import Template, queue_trigger, unique
from tests.localcloud.test_gateway import request

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from stackspec import Function

# Each function records what it saw in a file of OUT_DIR, a literal variable of its template.
RECORDER = """
import json, os, uuid
from pathlib import Path

NAME = "{name}"
OUT = Path(os.environ["OUT_DIR"])  # read at import: an in-process function's variables are
                                   # only set while it is imported

def handler(event, context):
    seen = {{
        "event": event,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "memory": context.memory_limit_in_mb,
        "env": {{k: os.environ.get(k) for k in ("MODE", "SOURCE_BUCKET", "SECRET_ARN",
                                               "DATABASE_URL", "POWERTOOLS_LOG_LEVEL")}},
    }}
    (OUT / f"{{NAME}}-{{uuid.uuid4().hex}}.json").write_text(json.dumps(seen))
    if "httpMethod" in event:
        return {{"statusCode": 200, "body": json.dumps({{"function": NAME}})}}
    failed = [r["messageId"] for r in event.get("Records", []) if "fail" in r["body"]
              and not list(OUT.glob("retried-*"))]
    if failed:
        (OUT / f"retried-{{uuid.uuid4().hex}}").touch()
    return {{"batchItemFailures": [{{"itemIdentifier": i}} for i in failed]}}
"""


@dataclass
class Running:
    state: dict[str, Any]
    functions: tuple[Function, ...]
    out: Path
    packages: dict[str, str]  # role -> package name

    def seen(self, role: str) -> list[dict[str, Any]]:
        name = self.packages[role]
        return [json.loads(p.read_text()) for p in sorted(self.out.glob(f"{name}-*.json"))]

    def function(self, role: str) -> Function:
        return next(f for f in self.functions if f.name == self.packages[role])

    def consumer_queue(self) -> tuple[QueueTrigger, str]:
        """The consumer's queue trigger, and the local name of the bucket that feeds it."""
        (trigger,) = self.function("consumer").triggers
        assert isinstance(trigger, QueueTrigger) and trigger.source is not None
        return trigger, self.state["buckets"][trigger.source.bucket]

    def consumed(self, text: str) -> list[dict[str, Any]]:
        """What the consumer saw of the invocations whose event mentions the text."""
        return [s for s in self.seen("consumer") if text in json.dumps(s["event"])]


def write_packages(folder: Path, roles: list[str]) -> dict[str, str]:
    packages = {}
    for role in roles:
        name = f"fn_{role}_{uuid.uuid4().hex[:8]}"
        (folder / name).mkdir(parents=True)
        (folder / name / "__init__.py").write_text("")
        (folder / name / "index.py").write_text(textwrap.dedent(RECORDER.format(name=name)))
        packages[role] = name
    return packages


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[Running]:
    root = tmp_path_factory.mktemp("stack")
    out = root / "out"
    out.mkdir()
    roles = ["web", "orders", "consumer", "ticker", "setup", "idle"]
    packages = write_packages(root / "code", roles)
    sys.path.insert(0, str(root / "code"))
    literal = {"OUT_DIR": str(out), "MODE": "declared"}
    only_in_aws = {"SECRET_ARN": {"Fn::ImportValue": {"Fn::Sub": "${Project}-${Stage}-Secret"}}}
    template = Template()
    for role, name in packages.items():
        template.function(
            role.title(),
            name,
            timeout=7,
            memory=256,
            variables={**literal, **only_in_aws},
            on_deploy=role == "setup",
        )
    template.api("Web", "/", "/{proxy+}")
    template.api("Orders", "/orders", "/orders/{proxy+}")
    source = BucketSource(unique("in"), "in/", ".txt", None)
    trigger = queue_trigger(
        visibility_timeout=600, max_receive_count=4, batch_size=3, source=source
    )
    template.queue("Consumer", trigger, bucket_variable="SOURCE_BUCKET")
    template.schedule("Ticker", "rate(1 minute)")
    functions = stackspec.functions(template.write(root / "templates"))
    config = LocalConfig(
        api_port=0,
        s3_port=0,
        database_url=database_url,
        s3_endpoint=None,
        data_dir=root / "data",
        log_level="WARNING",
    )
    saved = dict(os.environ)
    try:
        with ExitStack() as stack:
            state = local_stack.start(config, stack, functions)
            yield Running(state, functions, out, packages)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        sys.path.remove(str(root / "code"))


def wait_for(condition: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.1)


def s3_and_sqs(running: Running) -> tuple[Any, Any]:
    import boto3

    endpoint = running.state["s3_endpoint"]
    return boto3.client("s3", endpoint_url=endpoint), boto3.client("sqs", endpoint_url=endpoint)


def test_each_api_function_answers_its_declared_paths(running: Running) -> None:
    url = running.state["api_url"]
    answers = {
        path: json.loads(request(url, path).read())["function"]
        for path in ("/", "/users/1", "/orders", "/orders/7")
    }
    web, orders = running.packages["web"], running.packages["orders"]
    assert answers == {"/": web, "/users/1": web, "/orders": orders, "/orders/7": orders}


def test_an_object_reaches_the_queue_function_with_its_deployed_settings(
    running: Running, database_url: str
) -> None:
    # GIVEN the bucket the template says notifies the consumer's queue
    consumer = running.function("consumer")
    _, bucket = running.consumer_queue()
    s3, _ = s3_and_sqs(running)
    # WHEN objects arrive, only one under the declared prefix and suffix
    for key in ("in/a.txt", "in/b.csv", "out/c.txt"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    # THEN the consumer gets that one, through SQS, with its declared timeout and memory,
    # its literal variables, the local bucket's name, the local database, and no AWS-only one
    wait_for(lambda: running.consumed("a.txt"))
    (seen,) = running.consumed("a.txt")
    assert seen["event"]["Records"][0]["eventSource"] == "aws:sqs"
    assert 0 < seen["remaining_ms"] <= consumer.timeout * 1000
    assert seen["memory"] == consumer.memory == 256
    assert seen["env"] == {
        "MODE": "declared",
        "SOURCE_BUCKET": bucket,
        "SECRET_ARN": None,
        "DATABASE_URL": database_url,
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
    assert running.consumed("b.csv") == running.consumed("c.txt") == []


def test_a_failed_message_comes_back_after_the_scaled_visibility_timeout(
    running: Running, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a queue whose visibility timeout is deployed as 600 s
    trigger, bucket = running.consumer_queue()
    s3, _ = s3_and_sqs(running)
    # WHEN the consumer fails a message once
    s3.put_object(Bucket=bucket, Key="in/fail.txt", Body=b"x")
    wait_for(lambda: len(running.consumed("fail.txt")) == 2)
    # THEN it came back after 2 s, not 600 s: one second per five deployed minutes
    assert declared.retry_delay(trigger) == 2
    assert "in/fail.txt: failed (receive 1), retried in 2 s" in capsys.readouterr().out


def test_queues_are_created_with_the_declared_settings(running: Running) -> None:
    trigger, _ = running.consumer_queue()
    _, sqs = s3_and_sqs(running)
    url = sqs.get_queue_url(QueueName=trigger.queue)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "600"
    redrive = json.loads(attributes["RedrivePolicy"])
    assert int(redrive["maxReceiveCount"]) == 4
    assert redrive["deadLetterTargetArn"].endswith(f":{trigger.dead_letter_queue}")


def test_on_deploy_functions_ran_once_at_start_and_others_without_triggers_never(
    running: Running,
) -> None:
    assert [s["event"] for s in running.seen("setup")] == [{}]
    assert running.seen("idle") == []


def test_the_ready_line_names_each_trigger(running: Running) -> None:
    trigger, bucket = running.consumer_queue()
    consumer, ticker = running.function("consumer"), running.function("ticker")
    assert running.state["triggers"] == [
        f"s3://{bucket}/in/*.txt -> SQS {trigger.queue} -> {consumer.name}",
        f"rate(1 minute) -> {ticker.name}",
    ]
