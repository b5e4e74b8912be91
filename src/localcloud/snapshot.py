"""moto keeps S3 in memory: a snapshot of the bucket under .local/ makes it survive a restart.

Saved on a clean stop, restored at start before the notification exists (so restoring never
re-imports anything). Only the latest version of each object is kept; a crash loses what
changed since the last clean stop. An external S3 (MinIO) keeps its own data: no snapshot.

The snapshot of the bucket whose place is `.local/s3/<bucket>` is the archive
`.local/s3/<bucket>.tar`, written whole under a temporary name and then renamed over the old
one (os.replace): a stop cut short at any point leaves the previous snapshot as it was.
Earlier versions kept a folder of files at that place: it is still read, once.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tarfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_s3 import S3Client


def archive_of(folder: Path) -> Path:
    """The snapshot file of the bucket whose snapshot place is `folder`."""
    return folder.with_name(folder.name + ".tar")


def save(s3: S3Client, bucket: str, folder: Path) -> int:
    """Replace the snapshot with the bucket's current objects; returns how many were saved."""
    archive = archive_of(folder)
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".partial")
    try:
        with partial.open("wb") as file:
            with tarfile.open(fileobj=file, mode="w", format=tarfile.PAX_FORMAT) as tar:
                count = _add_objects(tar, s3, bucket)
            file.flush()
            os.fsync(file.fileno())
        partial.replace(archive)  # os.replace: atomic, the old archive or the new one
    finally:
        partial.unlink(missing_ok=True)
    # The archive holds all of it now: a folder an earlier version saved has had its turn.
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(folder.with_name(folder.name + ".partial"), ignore_errors=True)
    return count


def _add_objects(tar: tarfile.TarFile, s3: S3Client, bucket: str) -> int:
    count = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            # A member's name is only ever an S3 key again: nothing is extracted to disk.
            response = s3.get_object(Bucket=bucket, Key=item["Key"])
            member = tarfile.TarInfo(item["Key"])
            member.size = response["ContentLength"]
            member.mtime = int(response["LastModified"].timestamp())
            with contextlib.closing(response["Body"]) as body:
                tar.addfile(member, body)
            count += 1
    return count


def restore(s3: S3Client, bucket: str, folder: Path) -> int:
    """Upload the snapshot's objects back into the bucket; returns how many were restored."""
    archive = archive_of(folder)
    if archive.is_file():
        count = 0
        with tarfile.open(archive) as tar:
            for member in tar:
                body = tar.extractfile(member) if member.isfile() else None
                if body is not None:
                    s3.upload_fileobj(body, bucket, member.name)
                    count += 1
        return count
    return _restore_folder(s3, bucket, folder)


def _restore_folder(s3: S3Client, bucket: str, folder: Path) -> int:
    if not folder.is_dir():
        return 0
    count = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            s3.upload_file(str(path), bucket, path.relative_to(folder).as_posix())
            count += 1
    return count
