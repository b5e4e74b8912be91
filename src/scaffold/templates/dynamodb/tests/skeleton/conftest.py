"""A table of the stack's shape with its stream on moto, and the real entry point.

Records come from moto's DynamoDB stream (put and delete with boto3, then read the shard),
wrapped as Lambda wraps them (localcloud.stream_poller.to_stream_event).
"""

from __future__ import annotations

import copy
import dataclasses
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from localcloud.stream_poller import create_table, to_stream_event

if TYPE_CHECKING:
    from collections.abc import Callable

    import psycopg

_ROWS = """
    SELECT reference, quantity, sequence_number::text, deleted_at IS NOT NULL
    FROM skeleton ORDER BY reference
"""


@dataclass(frozen=True)
class StreamTable:
    """A fresh table of the stack's shape, with its stream, on the session's moto server."""

    name: str
    stream_arn: str
    dynamodb: Any
    streams: Any

    def put(self, reference: str, quantity: int | str) -> None:
        """Write the item; a quantity that is not an int is written as a string (S)."""
        typed = {"N": str(quantity)} if isinstance(quantity, int) else {"S": quantity}
        item = {"reference": {"S": reference}, "quantity": typed}
        self.dynamodb.put_item(TableName=self.name, Item=item)

    def delete(self, reference: str) -> None:
        self.dynamodb.delete_item(TableName=self.name, Key={"reference": {"S": reference}})

    def records(self) -> list[dict[str, Any]]:
        """Every record of the stream, from the trim horizon, as Lambda passes them."""
        description = self.streams.describe_stream(StreamArn=self.stream_arn)
        shard = description["StreamDescription"]["Shards"][0]["ShardId"]
        iterator = self.streams.get_shard_iterator(
            StreamArn=self.stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        found: list[Any] = []
        while (batch := self.streams.get_records(ShardIterator=iterator))["Records"]:
            found.extend(batch["Records"])
            iterator = batch["NextShardIterator"]
        return list(to_stream_event(found, self.stream_arn)["Records"])


def stream_event(*records: dict[str, Any]) -> dict[str, Any]:
    """A batch of records, as the event source mapping invokes the function."""
    return {"Records": copy.deepcopy(list(records))}


def sequence_number(record: dict[str, Any]) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


def failures(*records: dict[str, Any]) -> dict[str, Any]:
    """The response that hands these records back to Lambda."""
    return {"batchItemFailures": [{"itemIdentifier": sequence_number(r)} for r in records]}


@pytest.fixture
def stream_table(s3_endpoint: str) -> StreamTable:
    import boto3

    declared = stackspec.function("skeleton").trigger(stackspec.StreamTrigger)
    assert isinstance(declared, stackspec.StreamTrigger)
    trigger = dataclasses.replace(declared, table=f"skeleton-{uuid.uuid4().hex[:10]}")
    dynamodb = boto3.client("dynamodb", endpoint_url=s3_endpoint)
    streams = boto3.client("dynamodbstreams", endpoint_url=s3_endpoint)
    return StreamTable(trigger.table, create_table(dynamodb, trigger), dynamodb, streams)


@pytest.fixture
def mirror(db: psycopg.Connection[Any], lambda_context: Any) -> Callable[..., Any]:
    """Hand a batch to the handler, as the event source mapping does; `db` empties the table."""
    from skeleton.index import handler

    return lambda event: handler(event, lambda_context("skeleton"))


@pytest.fixture
def mirrored(db: psycopg.Connection[Any]) -> Callable[[], list[tuple[Any, ...]]]:
    """The table's rows: (reference, quantity, sequence_number as text, deleted)."""
    return lambda: db.execute(_ROWS).fetchall()
