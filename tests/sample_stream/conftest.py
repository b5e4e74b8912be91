"""Fixtures of the mirror's tests: a profiles table with its stream on moto, the real handler.

Records come from moto's DynamoDB stream (put, update and delete with boto3, then read the
shard), wrapped as Lambda wraps them (localcloud.stream_poller.to_stream_event).
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from localcloud.stream_poller import create_table, to_stream_event

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import psycopg
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient


def item(
    email: str,
    display_name: Any = "Ada Lovelace",
    *,
    locale: str | None = None,
    opt_ins: tuple[str, ...] = (),
    expires_at: int | None = None,
) -> dict[str, Any]:
    """A profile as DynamoDB's typed attributes; a display_name that is not a str is sent as N."""
    attributes: dict[str, Any] = {"email": {"S": email}}
    if isinstance(display_name, str):
        attributes["display_name"] = {"S": display_name}
    elif display_name is not None:
        attributes["display_name"] = {"N": str(display_name)}
    if locale is not None:
        attributes["locale"] = {"S": locale}
    if opt_ins:
        attributes["opt_ins"] = {"SS": list(opt_ins)}
    if expires_at is not None:
        attributes["expires_at"] = {"N": str(expires_at)}
    return attributes


@dataclass
class StreamTable:
    """A fresh table of the template's shape, with its stream, on the session's moto server."""

    name: str
    stream_arn: str
    dynamodb: DynamoDBClient
    streams: DynamoDBStreamsClient

    def put(self, attributes: dict[str, Any]) -> None:
        self.dynamodb.put_item(TableName=self.name, Item=attributes)

    def delete(self, email: str) -> None:
        self.dynamodb.delete_item(TableName=self.name, Key={"email": {"S": email}})

    def records(self) -> list[dict[str, Any]]:
        """Every record of the stream, from the trim horizon, as Lambda passes them."""
        shard = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"][
            "Shards"
        ][0]["ShardId"]
        iterator = self.streams.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        found: list[Any] = []
        while batch := self.streams.get_records(ShardIterator=iterator, Limit=1000):
            if not batch["Records"]:
                break
            found.extend(batch["Records"])
            iterator = batch["NextShardIterator"]
        return list(to_stream_event(found, self.stream_arn)["Records"])


def stream_event(*records: dict[str, Any]) -> dict[str, Any]:
    """A batch of records, as Lambda's event source mapping invokes the function."""
    return {"Records": [json.loads(json.dumps(record)) for record in records]}


def with_sequence_number(record: dict[str, Any], number: str) -> dict[str, Any]:
    """A copy of the record with another SequenceNumber."""
    copy = json.loads(json.dumps(record))
    copy["dynamodb"]["SequenceNumber"] = number
    return copy


def sequence_number(record: dict[str, Any]) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


@pytest.fixture
def mirror_trigger() -> stackspec.StreamTrigger:
    """The stream trigger the template declares for the mirror."""
    trigger = stackspec.function("sample_stream").trigger(stackspec.StreamTrigger)
    assert isinstance(trigger, stackspec.StreamTrigger)
    return trigger


@pytest.fixture
def stream_table(s3_endpoint: str, mirror_trigger: stackspec.StreamTrigger) -> StreamTable:
    import boto3

    dynamodb = boto3.client("dynamodb", endpoint_url=s3_endpoint)
    streams = boto3.client("dynamodbstreams", endpoint_url=s3_endpoint)
    trigger = dataclasses.replace(mirror_trigger, table=f"profiles-{uuid.uuid4().hex[:10]}")
    return StreamTable(trigger.table, create_table(dynamodb, trigger), dynamodb, streams)


@pytest.fixture
def mirror(
    db: psycopg.Connection[Any], lambda_context: Any
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Call the real entry point with a stream event, as Lambda would."""
    from sample_stream.index import handler

    def call(event: dict[str, Any]) -> dict[str, Any]:
        return handler(event, lambda_context("sample_stream", 30.0))

    return call


@pytest.fixture
def profiles(db: psycopg.Connection[Any]) -> Callable[[], list[dict[str, Any]]]:
    """The profiles table, in email order."""
    from psycopg.rows import dict_row

    def rows() -> list[dict[str, Any]]:
        with db.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(
                "SELECT email, display_name, locale, opt_ins, expires_at,"
                " sequence_number::text AS sequence_number, changed_at, deleted_at, deletion"
                " FROM profiles ORDER BY email"
            ).fetchall()

    return rows


class _Tee(io.StringIO):
    """Keeps what the function logs, and passes it on (the session's log scan reads it too)."""

    def __init__(self, onward: Any) -> None:
        super().__init__()
        self.onward = onward

    def write(self, text: str) -> int:
        self.onward.write(text)
        return super().write(text)


@pytest.fixture
def function_log(mirror: Any) -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The function's JSON log lines written during the test, parsed."""
    from shared.log import get_logger

    handler = get_logger().registered_handler
    assert isinstance(handler, logging.StreamHandler)
    tee = _Tee(handler.stream)
    previous = handler.setStream(tee)
    yield lambda: [json.loads(line) for line in tee.getvalue().splitlines() if line.strip()]
    handler.setStream(previous)
