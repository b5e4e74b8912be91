"""moto keeps S3 in memory: the snapshot under .local/ carries the bucket across restarts."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from localcloud import snapshot

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_s3 import S3Client


def contents(s3: S3Client, bucket: str) -> dict[str, bytes]:
    listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def test_saved_bucket_is_restored_whole_into_a_fresh_one(
    s3_client: S3Client, bucket: str, tmp_path: Path
) -> None:
    # GIVEN objects at several depths, the latest version of one of them being the one to keep
    objects = {"imports/a.csv": b"v2", "reports/a.csv.json": b"{}", "top.txt": b"x" * 70_000}
    s3_client.put_object(Bucket=bucket, Key="imports/a.csv", Body=b"v1")
    for key, body in objects.items():
        s3_client.put_object(Bucket=bucket, Key=key, Body=body)
    # WHEN it is saved, then restored into an empty bucket (a restarted emulator)
    assert snapshot.save(s3_client, bucket, tmp_path / "snap") == 3
    fresh = f"fresh-{uuid.uuid4().hex[:8]}"
    s3_client.create_bucket(Bucket=fresh)
    assert snapshot.restore(s3_client, fresh, tmp_path / "snap") == 3
    # THEN
    assert contents(s3_client, fresh) == objects


def test_saving_again_replaces_the_previous_snapshot(
    s3_client: S3Client, bucket: str, tmp_path: Path
) -> None:
    s3_client.put_object(Bucket=bucket, Key="old.txt", Body=b"old")
    snapshot.save(s3_client, bucket, tmp_path / "snap")
    s3_client.delete_object(Bucket=bucket, Key="old.txt")
    s3_client.put_object(Bucket=bucket, Key="new.txt", Body=b"new")
    snapshot.save(s3_client, bucket, tmp_path / "snap")
    assert sorted(p.name for p in (tmp_path / "snap").rglob("*")) == ["new.txt"]


def test_keys_that_would_escape_the_folder_are_not_saved(
    s3_client: S3Client, bucket: str, tmp_path: Path
) -> None:
    s3_client.put_object(Bucket=bucket, Key="../../escape.txt", Body=b"x")
    s3_client.put_object(Bucket=bucket, Key="fine.txt", Body=b"y")
    assert snapshot.save(s3_client, bucket, tmp_path / "snap") == 1
    assert not (tmp_path / "escape.txt").exists()
    assert not (tmp_path.parent / "escape.txt").exists()


def test_restoring_without_a_snapshot_restores_nothing(
    s3_client: S3Client, bucket: str, tmp_path: Path
) -> None:
    assert snapshot.restore(s3_client, bucket, tmp_path / "none") == 0
    assert contents(s3_client, bucket) == {}
