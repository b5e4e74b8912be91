"""The objects an SQS message's S3 notification names; any other message is refused."""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event

from .errors import NotANotificationError
from .models import ObjectRef


def object_refs(body: str) -> list[ObjectRef]:
    """The objects created according to the notification; s3:TestEvent names none."""
    try:
        payload = json.loads(body)
    except ValueError:
        raise NotANotificationError("the body is not JSON") from None
    if not isinstance(payload, dict):
        raise NotANotificationError("the body is not a JSON object")
    if payload.get("Event") == "s3:TestEvent":
        return []
    if not isinstance(payload.get("Records"), list):
        raise NotANotificationError("the body has no Records: not an S3 notification")
    try:
        return [
            ObjectRef(
                bucket=record.s3.bucket.name,
                key=unquote_plus(record.s3.get_object.key),  # S3 sends keys URL-encoded
                version_id=record.s3.get_object.version_id,
                etag=record.s3.get_object.etag or None,
            )
            for record in S3Event(payload).records
            if record.event_source == "aws:s3" and record.event_name.startswith("ObjectCreated:")
        ]
    except (KeyError, TypeError, AttributeError):
        raise NotANotificationError("a record lacks its bucket or key") from None
