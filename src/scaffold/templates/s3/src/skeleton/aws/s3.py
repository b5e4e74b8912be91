"""The S3 client (lazy, cached, injectable) and the one read the recorder makes.

boto3 reads AWS_ENDPOINT_URL_S3 itself, so the same code talks to AWS, moto or MinIO.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ..errors import ObjectGoneError, StorageUnavailableError
from ..models import StoredObject

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from ..models import ObjectRef

_GONE_CODES = frozenset({"NoSuchKey", "NoSuchVersion", "PreconditionFailed", "404", "412"})


@cache
def get_client() -> S3Client:
    """The environment's S3 client, created on first use (boto3 costs ~100 ms to import)."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 3}, read_timeout=10)
    return boto3.client("s3", config=config)


def head(client: S3Client, ref: ObjectRef) -> StoredObject:
    """The exact version the notification names; raises ObjectGoneError when it is gone."""
    from botocore.exceptions import BotoCoreError, ClientError

    params: dict[str, Any] = {"Bucket": ref.bucket, "Key": ref.key}
    if ref.version_id and ref.version_id != "null":
        params["VersionId"] = ref.version_id
    elif ref.etag:
        params["IfMatch"] = ref.etag  # overwritten since the notification: 412
    try:
        found = client.head_object(**params)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in _GONE_CODES:
            raise ObjectGoneError(f"s3 object is gone ({code})") from None
        raise StorageUnavailableError(f"s3 HeadObject failed ({code})") from exc
    except BotoCoreError as exc:
        raise StorageUnavailableError(f"s3 HeadObject failed ({type(exc).__name__})") from exc
    version = found.get("VersionId")
    if not version or version == "null":
        version = found["ETag"].strip('"')
    return StoredObject(version=version, size=found["ContentLength"])
