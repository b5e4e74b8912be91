"""moto keeps S3 in memory: a snapshot of the bucket under .local/ makes it survive a restart.

Saved on a clean stop, restored at start before the notification exists (so restoring never
re-imports anything). Only the latest version of each object is kept; a crash loses what
changed since the last clean stop. An external S3 (MinIO) keeps its own data: no snapshot.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_s3 import S3Client


def save(s3: S3Client, bucket: str, folder: Path) -> int:
    """Replace the snapshot with the bucket's current objects; returns how many were saved."""
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    count = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            target = staging / item["Key"]
            if not target.resolve().is_relative_to(staging.resolve()) or item["Key"].endswith("/"):
                continue  # a key like "../x" or a folder marker has no place on disk
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, item["Key"], str(target))
            count += 1
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return count


def restore(s3: S3Client, bucket: str, folder: Path) -> int:
    """Upload the snapshot's files back into the bucket; returns how many were restored."""
    if not folder.is_dir():
        return 0
    count = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            s3.upload_file(str(path), bucket, path.relative_to(folder).as_posix())
            count += 1
    return count
