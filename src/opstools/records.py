"""One CloudWatch log event as a record: when, from where, how bad, what, and for which request.

The JSON shapes: Powertools Logger lines, Powertools Metrics (embedded metric format) lines and
API Gateway access log lines, whose keys the template's access log Format names. The Lambda
runtime's text lines are in `opstools.lambda_text`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from opstools import lambda_text

if TYPE_CHECKING:
    from collections.abc import Mapping

# Keys every Powertools line carries: shown as columns, or not at all.
_POWERTOOLS_KEYS = frozenset(
    {
        "level",
        "location",
        "message",
        "timestamp",
        "service",
        "cold_start",
        "function_name",
        "function_memory_size",
        "function_arn",
        "function_request_id",
        "correlation_id",
        "xray_trace_id",
        "sampling_rate",
        "exception",
        "exception_name",
        "stack_trace",
        "import_id",
    }
)


@dataclass(frozen=True)
class Record:
    """A log event, read."""

    time: datetime
    source: str  # the function's name, or the access log's label
    level: str  # INFO, WARNING, ERROR ..., or START, REPORT, METRIC ... for the runtime's lines
    message: str
    request_id: str | None = None  # API Gateway's request id: the API's correlation id
    invocation: str | None = None  # Lambda's request id of the invocation that wrote it
    import_id: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


def parse(
    message: str, timestamp_ms: int, source: str, access_fields: Mapping[str, str] | None = None
) -> Record:
    """The record of one event; access_fields (`$context` variable -> key) for an access log."""
    time = datetime.fromtimestamp(timestamp_ms / 1000, tz=UTC)
    document = _json_object(message)
    if document is None:
        line = lambda_text.parse(message)
        return Record(
            time, source, line.level, line.message, None, line.invocation, None, line.details
        )
    if access_fields:
        return _access(document, time, source, access_fields)
    if "_aws" in document:
        return _metrics(document, time, source)
    return _powertools(document, time, source)


def _json_object(message: str) -> dict[str, Any] | None:
    text = message.strip()
    if not text.startswith("{"):
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _powertools(document: dict[str, Any], time: datetime, source: str) -> Record:
    message = str(document.get("message", ""))
    if document.get("exception"):
        message += f": {lambda_text.condense_traceback(str(document['exception']))}"
    details = {k: v for k, v in document.items() if k not in _POWERTOOLS_KEYS and v is not None}
    return Record(
        time,
        source,
        str(document.get("level") or "INFO").upper(),
        message,
        _text(document.get("correlation_id")),
        _text(document.get("function_request_id")),
        _text(document.get("import_id")),
        details,
    )


def _metrics(document: dict[str, Any], time: datetime, source: str) -> Record:
    """`name=value` for each metric of the line, in the order it declares them."""
    names = [
        metric["Name"]
        for directive in document["_aws"].get("CloudWatchMetrics", [])
        for metric in directive.get("Metrics", [])
    ]
    values = []
    for name in names:
        value = document.get(name)
        value = value[0] if isinstance(value, list) and len(value) == 1 else value
        values.append(f"{name}={_number(value)}")
    invocation = _text(document.get("function_request_id"))
    return Record(time, source, "METRIC", " ".join(values), None, invocation)


def _access(
    document: dict[str, Any], time: datetime, source: str, fields: Mapping[str, str]
) -> Record:
    """`POST /{proxy+} 201`, the rest as details; 5xx is an error, 4xx a warning."""

    def value(variable: str) -> str | None:
        found = document.get(fields.get(variable, ""))
        return None if found in (None, "", "-") else str(found)

    status = value("$context.status") or "-"
    message = " ".join(
        part
        for part in (value("$context.httpMethod"), value("$context.resourcePath"), status)
        if part
    )
    level = "ERROR" if status.startswith("5") else "WARNING" if status.startswith("4") else "INFO"
    shown = {"$context.requestId", "$context.integration.requestId", "$context.httpMethod"}
    shown |= {"$context.resourcePath", "$context.status", "$context.requestTime"}
    details = {
        key: document[key]
        for variable, key in fields.items()
        if variable not in shown and value(variable) is not None
    }
    invocation = value("$context.integration.requestId") or value("$context.awsEndpointRequestId")
    return Record(
        time, source, level, message, value("$context.requestId"), invocation, None, details
    )


def _text(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
