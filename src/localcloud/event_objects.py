"""The S3 objects a sample event names: upload a file to each, and make the event say so.

An object is named the way S3 notifications do (`s3: {bucket: {name}, object: {key}}`, the key
URL-encoded) or EventBridge's Object Created events do (`detail: {bucket, object}`, the key as
is), also inside the JSON strings SQS bodies and SNS messages wrap them in.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

from localcloud import emulator

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_s3 import S3Client

_WRAPPERS = ("body", "Message")  # SQS record bodies and SNS messages hold JSON as text


def upload_where_named(event: Any, s3: S3Client, path: Path) -> tuple[Any, list[str]]:
    """A copy of the event whose objects hold the file, with their real size, ETag and version.

    Returns it with the s3://bucket/key of each upload. A missing bucket is created, versioned.
    """
    uploaded: list[str] = []
    body = path.read_bytes()
    return _visit(copy.deepcopy(event), s3, body, uploaded), uploaded


def _visit(node: Any, s3: S3Client, body: bytes, uploaded: list[str]) -> Any:
    if isinstance(node, list):
        return [_visit(item, s3, body, uploaded) for item in node]
    if not isinstance(node, dict):
        return node
    for name, value in node.items():
        if name in ("s3", "detail") and _names_object(value):
            _upload(value, s3, body, uploaded, encoded=name == "s3")
        elif name in _WRAPPERS and isinstance(value, str) and value.lstrip().startswith("{"):
            node[name] = json.dumps(_visit(json.loads(value), s3, body, uploaded))
        else:
            node[name] = _visit(value, s3, body, uploaded)
    return node


def _names_object(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("bucket"), dict)
        and isinstance(value.get("object"), dict)
        and "key" in value["object"]
    )


def _upload(
    described: dict[str, Any], s3: S3Client, body: bytes, uploaded: list[str], *, encoded: bool
) -> None:
    bucket = str(described["bucket"]["name"])
    obj = described["object"]
    key = unquote_plus(obj["key"]) if encoded else str(obj["key"])
    emulator.create_bucket(s3, bucket)
    put = s3.put_object(Bucket=bucket, Key=key, Body=body)
    # S3 notifications spell them eTag and versionId; EventBridge etag and version-id.
    etag, version = ("eTag", "versionId") if encoded else ("etag", "version-id")
    obj.update({"size": len(body), etag: put["ETag"].strip('"')})
    if put.get("VersionId"):
        obj[version] = put["VersionId"]
    uploaded.append(f"s3://{bucket}/{key}")
