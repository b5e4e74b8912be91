"""An object version as a notification names it, and as S3 describes it."""

from __future__ import annotations

from dataclasses import dataclass

INCOMING_PREFIX = "incoming/"  # the same filter as the bucket's notification


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """The object a notification names; its key decoded."""

    bucket: str
    key: str
    version_id: str | None
    etag: str | None


@dataclass(frozen=True, slots=True)
class StoredObject:
    """What S3 says of that object: its version (or ETag, unversioned) and size."""

    version: str
    size: int
