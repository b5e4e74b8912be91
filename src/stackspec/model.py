"""The declaration as typed records: a stack, its functions, and what triggers each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class BucketSource:
    """A bucket whose ObjectCreated notifications (under a prefix and suffix) feed a queue."""

    bucket: str  # the bucket's local name
    prefix: str
    suffix: str
    env_var: str | None  # the function variable that holds the bucket's name, if any
    logical_id: str | None = None  # the bucket's resource in its template


@dataclass(frozen=True)
class QueueTrigger:
    """An SQS event source mapping, with the queue's delivery settings."""

    queue: str  # the queue's local name (its QueueName, Stage=local)
    visibility_timeout: int
    batch_size: int
    max_receive_count: int | None  # None: no redrive policy
    dead_letter_queue: str | None
    maximum_concurrency: int | None
    source: BucketSource | None = None  # set when a bucket notifies this queue

    kind = "sqs"


@dataclass(frozen=True)
class ApiTrigger:
    """API Gateway proxy methods integrated with the function, by resource path."""

    paths: tuple[str, ...]  # "/", "/{proxy+}", "/orders" ...

    kind = "api"


@dataclass(frozen=True)
class ScheduleTrigger:
    """An EventBridge rule that invokes the function on a schedule."""

    rule: str
    expression: str

    kind = "schedule"


@dataclass(frozen=True)
class StreamTrigger:
    """A DynamoDB stream event source mapping, with its retry and failure settings."""

    table: str  # the table's local name
    key_schema: tuple[tuple[str, str], ...]  # (attribute, HASH|RANGE)
    attributes: Mapping[str, str]  # attribute -> S|N|B
    batch_size: int
    maximum_retry_attempts: int
    bisect_on_error: bool
    maximum_record_age: int
    on_failure_queue: str | None

    kind = "dynamodb"


Trigger = QueueTrigger | ApiTrigger | ScheduleTrigger | StreamTrigger


@dataclass(frozen=True)
class Function:
    """One Lambda function as its template declares it; `name` is its package under src/."""

    name: str
    stack: str
    logical_id: str
    handler: str
    timeout: int
    memory: int
    environment: Mapping[str, str | None]  # literal values; None when resolved in AWS only
    code_parameter: str  # the template parameter that takes the zip's S3 key
    deployed_name: str  # FunctionName with ${Project} and ${Stage} left in
    triggers: tuple[Trigger, ...] = ()
    bundle: Mapping[str, str] = field(default_factory=dict)  # extra folder -> place in the zip
    requirements: tuple[str, ...] = ()  # dependency groups installed into the zip itself
    invoke_on_deploy: bool = False  # run once its stack is deployed, before the later stacks
    root: Path = ROOT  # the repository whose deploy/cloudformation/ declares it

    @property
    def packages(self) -> tuple[str, str]:
        """What its zip holds from src/: its own package and the shared one."""
        return (self.name, "shared")

    @property
    def events(self) -> Path:
        """Its sample events: events/<name>/<case>.json, each with <case>.expected.json."""
        return self.root / "events" / self.name

    @property
    def artifact(self) -> str:
        """The zip's file name under dist/."""
        return f"{self.name}.zip"

    def trigger(self, kind: type[Trigger]) -> Trigger | None:
        """Its first trigger of one kind, if any."""
        return next((t for t in self.triggers if isinstance(t, kind)), None)

    def name_in(self, project: str, stage: str) -> str:
        """Its deployed function name in one stage."""
        return self.deployed_name.replace("${Project}", project).replace("${Stage}", stage)


@dataclass(frozen=True)
class Parameter:
    """A template parameter as declared: its type, default and the values CloudFormation allows."""

    name: str
    type: str
    default: object = None  # as written in the template (a number stays a number)
    allowed_values: tuple[object, ...] = ()
    allowed_pattern: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    description: str = ""


@dataclass(frozen=True)
class Stack:
    """One template: its parameters, what it outputs, and what it needs from other stacks."""

    name: str
    template: Path
    parameters: Mapping[str, str | None]  # name -> default (None: no default)
    outputs: tuple[str, ...]
    needs: tuple[str, ...]  # exports and outputs of other stacks it uses, by name
    functions: tuple[Function, ...]
    layer_parameters: tuple[str, ...]  # parameters that take a layer zip's S3 key
    buckets: tuple[str, ...] = ()  # logical ids of its S3 buckets (emptied before a delete)
    declared: Mapping[str, Parameter] = field(default_factory=dict)  # name -> declaration
