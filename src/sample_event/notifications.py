"""Event parsing: the S3 object versions a notification names, whatever wraps it.

Accepted: S3 notifications (direct, or as the body of an SQS message or an SNS notification,
with or without SNS raw delivery) and EventBridge "Object Created" events. s3:TestEvent and
non-creation records name nothing. Keys arrive URL-encoded and leave decoded.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes.s3_event import (
    S3EventBridgeNotificationEvent,
    S3EventRecord,
)
from aws_lambda_powertools.utilities.data_classes.sns_event import SNSEventRecord

from sample_event.errors import UnsupportedEventError
from sample_event.models import ObjectRef


def object_refs(payload: dict[str, Any]) -> list[ObjectRef]:
    """Every object created according to this payload, in order."""
    if payload.get("Event") == "s3:TestEvent":
        return []
    if "detail-type" in payload:
        return _eventbridge(S3EventBridgeNotificationEvent(payload))
    if payload.get("Type") == "Notification" and "Message" in payload:  # SNS envelope in SQS
        return object_refs(json_object(payload["Message"]))
    records = payload.get("Records")
    if not isinstance(records, list):
        raise UnsupportedEventError("expected an S3, SNS, SQS or EventBridge event")
    refs: list[ObjectRef] = []
    for record in records:
        source = record.get("eventSource") or record.get("EventSource")
        if source == "aws:s3":
            refs.extend(_s3(S3EventRecord(record)))
        elif source == "aws:sns":
            refs.extend(object_refs(json_object(SNSEventRecord(record).sns.message)))
        else:
            raise UnsupportedEventError(f"unsupported record source {source!r}")
    return refs


def _s3(record: S3EventRecord) -> list[ObjectRef]:
    if not record.event_name.startswith("ObjectCreated:"):
        return []
    obj = record.s3.get_object
    return [
        ObjectRef(
            bucket=record.s3.bucket.name,
            key=unquote_plus(obj.key),
            version_id=obj.version_id,
            etag=obj.etag or None,
        )
    ]


def _eventbridge(event: S3EventBridgeNotificationEvent) -> list[ObjectRef]:
    if event.source != "aws.s3" or event.detail_type != "Object Created":
        return []
    detail = event.detail
    obj = detail.object
    return [
        ObjectRef(
            bucket=detail.bucket.name,
            key=obj.key,  # Powertools decodes it (unquote_plus)
            version_id=obj.get("version-id"),
            etag=obj.etag or None,
        )
    ]


def json_object(text: str) -> dict[str, Any]:
    """A message body (SQS, SNS) as the JSON object it must be; else UnsupportedEventError."""
    try:
        value = json.loads(text)
    except ValueError:
        raise UnsupportedEventError("the message is not JSON") from None
    if not isinstance(value, dict):
        raise UnsupportedEventError("the message is not a JSON object")
    return value
