"""The S3 client (lazy, cached, injectable) and the reads and writes the importer makes.

boto3 reads AWS_ENDPOINT_URL_S3 itself, so the same code talks to AWS, moto or MinIO. Every
call goes through storage_errors(), so that callers only ever see the import's own errors.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from sample_event.errors import ObjectGoneError, StorageUnavailableError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_s3 import S3Client

    from sample_event.models import ObjectRef

# Large reads: 1 MiB chunks stream ~5x faster than botocore's 1 KiB default.
CHUNK_SIZE = 1 << 20
# Multipart parts must be at least 5 MiB; below this a report is one PutObject.
_PART_SIZE = 8 << 20
_GONE_CODES = frozenset({"NoSuchKey", "NoSuchVersion", "PreconditionFailed", "404", "412"})


@cache
def get_client() -> S3Client:
    """The environment's S3 client, created on first use (boto3 costs ~100 ms to import)."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"mode": "standard", "max_attempts": 3}, read_timeout=30)
    return boto3.client("s3", config=config)


class OpenedObject:
    """An object version being read: which one it is (`ref`), its size, its bytes in chunks."""

    def __init__(self, ref: ObjectRef, size: int, body: Any, chunk_size: int) -> None:
        self.ref, self.size, self._body, self._chunk_size = ref, size, body, chunk_size

    def __iter__(self) -> Iterator[bytes]:
        return _chunks(self._body, self._chunk_size)

    def close(self) -> None:
        """Give the connection back without reading (another run imports this version)."""
        self._body.close()


def open_object(client: S3Client, ref: ObjectRef, chunk_size: int = CHUNK_SIZE) -> OpenedObject:
    """Open the version the event names, or the current one if it names none.

    The opened object's `ref` carries what S3 answered (its VersionId, else its ETag), so an
    object is known by the version read, whatever fields the event had. Raises
    ObjectGoneError if the version is gone, StorageUnavailableError if S3 fails.
    """
    from dataclasses import replace

    params: dict[str, Any] = {"Bucket": ref.bucket, "Key": ref.key}
    if ref.version_id and ref.version_id != "null":
        params["VersionId"] = ref.version_id
    elif ref.etag:
        params["IfMatch"] = ref.etag  # overwritten since the event: PreconditionFailed
    with storage_errors("GetObject"):
        response = client.get_object(**params)
    read = replace(ref, version_id=response.get("VersionId"), etag=response["ETag"].strip('"'))
    return OpenedObject(read, response["ContentLength"], response["Body"], chunk_size)


def _chunks(body: Any, chunk_size: int) -> Iterator[bytes]:
    with storage_errors("read"), body:
        yield from body.iter_chunks(chunk_size)


def put_object(client: S3Client, bucket: str, key: str, body: bytes, content_type: str) -> None:
    """Write a small object whole; raises StorageUnavailableError if S3 refuses it."""
    with storage_errors("PutObject"):
        client.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)


@contextmanager
def storage_errors(operation: str) -> Iterator[None]:
    """botocore's errors as the import's kinds: the one translation for every S3 call."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in _GONE_CODES:
            raise ObjectGoneError(f"s3 object is gone ({code})") from None
        raise StorageUnavailableError(f"s3 {operation} failed ({code})", code=code) from exc
    except (BotoCoreError, OSError) as exc:
        code = type(exc).__name__
        raise StorageUnavailableError(f"s3 {operation} failed ({code})", code=code) from exc


class StreamingUpload:
    """An object written piece by piece with bounded memory: one PutObject, or multipart."""

    def __init__(self, client: S3Client, bucket: str, key: str, content_type: str) -> None:
        self._client, self._bucket, self._key = client, bucket, key
        self._content_type = content_type
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []

    def write(self, data: bytes) -> None:
        self._buffer += data
        if len(self._buffer) >= _PART_SIZE:
            self._flush_part()

    def finish(self) -> None:
        """Make the object visible; nothing is visible before this."""
        if self._upload_id is None:
            put_object(
                self._client, self._bucket, self._key, bytes(self._buffer), self._content_type
            )
            return
        self._flush_part()
        with storage_errors("CompleteMultipartUpload"):
            self._client.complete_multipart_upload(
                Bucket=self._bucket,
                Key=self._key,
                UploadId=self._upload_id,
                MultipartUpload={"Parts": self._parts},  # type: ignore[typeddict-item]
            )

    def abort(self) -> None:
        """Discard what was uploaded so far (best effort: S3 lifecycle rules clean up the rest)."""
        if self._upload_id is not None:
            with storage_errors("AbortMultipartUpload"):
                self._client.abort_multipart_upload(
                    Bucket=self._bucket, Key=self._key, UploadId=self._upload_id
                )
            self._upload_id = None

    def _flush_part(self) -> None:
        if self._upload_id is None:
            with storage_errors("CreateMultipartUpload"):
                created = self._client.create_multipart_upload(
                    Bucket=self._bucket, Key=self._key, ContentType=self._content_type
                )
            self._upload_id = created["UploadId"]
        number = len(self._parts) + 1
        with storage_errors("UploadPart"):
            part = self._client.upload_part(
                Bucket=self._bucket,
                Key=self._key,
                UploadId=self._upload_id,
                PartNumber=number,
                Body=bytes(self._buffer),
            )
        self._parts.append({"ETag": part["ETag"], "PartNumber": number})
        self._buffer.clear()
