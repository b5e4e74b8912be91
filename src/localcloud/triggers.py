"""What each kind of declared trigger needs locally, started for one function's host.

API paths go to the gateway; a queue gets its queue, dead-letter queue, bucket notification
and a poller (or, beside an S3 that cannot notify, a lister of the bucket); a schedule gets a
scheduler. Each start returns the line the ready message shows for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from localcloud import console, emulator
from localcloud.routes import Routes
from stackspec import ApiTrigger, QueueTrigger, ScheduleTrigger, StreamTrigger

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from contextlib import ExitStack

    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sqs import SQSClient

    from localcloud.functions import FunctionHost
    from stackspec import Function, Trigger


@dataclass
class Aws:
    """The emulated services the triggers use, and the local names of the declared buckets."""

    listing_fallback: bool  # an external S3 (MinIO): no notifications, no SQS
    buckets: Mapping[str, str]

    @cached_property
    def s3(self) -> S3Client:
        import boto3

        return boto3.client("s3")

    @cached_property
    def sqs(self) -> SQSClient:
        import boto3

        return boto3.client("sqs")


def api_paths(function: Function) -> tuple[str, ...]:
    """The resource paths API Gateway sends to the function."""
    return tuple(p for t in function.triggers if isinstance(t, ApiTrigger) for p in t.paths)


def start_gateway(
    functions: Iterable[Function], hosts: Mapping[str, FunctionHost], port: int, stack: ExitStack
) -> str | None:
    """One gateway for every API function, routing by their paths; None when there is none."""
    routes = [(path, hosts[f.name]) for f in functions for path in api_paths(f)]
    if not routes:
        return None
    from localcloud.gateway import GatewayServer

    gateway = GatewayServer(Routes(routes), port=port).start()
    stack.callback(gateway.stop)
    return gateway.url


def start(trigger: Trigger, host: FunctionHost, aws: Aws, stack: ExitStack) -> str | None:
    """Start what the trigger needs; returns its line for the ready message."""
    if isinstance(trigger, ApiTrigger):
        return None  # the gateway routes its paths (start_gateway)
    if isinstance(trigger, QueueTrigger):
        return _start_queue(trigger, host, aws, stack)
    if isinstance(trigger, ScheduleTrigger):
        return _start_schedule(trigger, host, stack)
    if isinstance(trigger, StreamTrigger):
        return _start_stream(trigger, host, aws, stack)
    raise TypeError(f"no local runner for {type(trigger).__name__}")


def _start_stream(trigger: StreamTrigger, host: FunctionHost, aws: Aws, stack: ExitStack) -> str:
    """The table and its stream on the emulator, read by a poller with the declared settings."""
    if aws.listing_fallback:
        console.say(f"{host.name}: no DynamoDB beside an external S3: {trigger.table} not run")
        return f"DynamoDB {trigger.table} (not run) -> {host.name}"
    import boto3

    from localcloud.stream_poller import StreamPoller, create_table

    arn = create_table(boto3.client("dynamodb"), trigger)
    if trigger.on_failure_queue is not None:
        aws.sqs.create_queue(QueueName=trigger.on_failure_queue)
    streams = boto3.client("dynamodbstreams")
    poller = StreamPoller(trigger, host, stream_arn=arn, streams=streams, sqs=aws.sqs)
    stack.callback(poller.start().stop)
    return f"DynamoDB {trigger.table} stream -> {host.name}"


def _start_queue(trigger: QueueTrigger, host: FunctionHost, aws: Aws, stack: ExitStack) -> str:
    source = trigger.source
    bucket = aws.buckets[source.bucket] if source is not None else ""
    where = f"s3://{bucket}/{source.prefix}*{source.suffix}" if source is not None else ""
    if aws.listing_fallback:
        if source is None:
            console.say(f"{host.name}: no SQS beside an external S3: {trigger.queue} not polled")
            return f"SQS {trigger.queue} (not polled) -> {host.name}"
        from localcloud.lister import Lister

        stack.callback(Lister(aws.s3, bucket, trigger, host).start().stop)
        return f"listing {where} every 1 s -> {host.name}"
    from localcloud.poller import Poller

    queues = emulator.create_queues(aws.sqs, trigger)
    if source is not None:
        emulator.notify_queue(aws.s3, bucket, queues, source)
    stack.callback(Poller(aws.sqs, queues, host).start().stop)
    return f"{where + ' -> ' if where else ''}SQS {trigger.queue} -> {host.name}"


def _start_schedule(trigger: ScheduleTrigger, host: FunctionHost, stack: ExitStack) -> str:
    from localcloud.schedule import Scheduler

    try:
        scheduler = Scheduler(trigger, host)
    except ValueError as exc:
        console.say(f"{host.name}: rule {trigger.rule} does not run locally ({exc})")
        return f"{trigger.expression} (not run) -> {host.name}"
    stack.callback(scheduler.start().stop)
    return f"{trigger.expression} -> {host.name}"
