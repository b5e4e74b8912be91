"""moto keeps S3 in memory: the snapshot under .local/ carries the bucket across restarts."""

from __future__ import annotations

import tarfile
import uuid
from typing import TYPE_CHECKING

import pytest

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


def saved_keys(folder: Path) -> list[str]:
    with tarfile.open(snapshot.archive_of(folder)) as tar:
        return sorted(tar.getnames())


def test_saving_again_replaces_the_previous_snapshot(
    s3_client: S3Client, bucket: str, tmp_path: Path
) -> None:
    s3_client.put_object(Bucket=bucket, Key="old.txt", Body=b"old")
    snapshot.save(s3_client, bucket, tmp_path / "snap")
    s3_client.delete_object(Bucket=bucket, Key="old.txt")
    s3_client.put_object(Bucket=bucket, Key="new.txt", Body=b"new")
    snapshot.save(s3_client, bucket, tmp_path / "snap")
    assert saved_keys(tmp_path / "snap") == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap.tar"]


def test_any_key_is_saved_and_restored_as_it_is_and_nothing_lands_outside(
    s3_client: S3Client, bucket: str, tmp_path: Path
) -> None:
    # Keys are never paths on disk: "../x" or a folder marker are objects like any other.
    objects = {"../../escape.txt": b"x", "folder/": b"", "fine.txt": b"y"}
    for key, body in objects.items():
        s3_client.put_object(Bucket=bucket, Key=key, Body=body)
    assert snapshot.save(s3_client, bucket, tmp_path / "in" / "snap") == 3
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["in", "snap.tar"]
    fresh = f"fresh-{uuid.uuid4().hex[:8]}"
    s3_client.create_bucket(Bucket=fresh)
    assert snapshot.restore(s3_client, fresh, tmp_path / "in" / "snap") == 3
    assert contents(s3_client, fresh) == objects


def test_a_save_cut_short_leaves_the_previous_snapshot_whole(
    s3_client: S3Client, s3_endpoint: str, bucket: str, tmp_path: Path
) -> None:
    import boto3

    # GIVEN a saved snapshot, then more objects
    for n in range(3):
        s3_client.put_object(Bucket=bucket, Key=f"{n}.txt", Body=b"old")
    snapshot.save(s3_client, bucket, tmp_path / "snap")
    s3_client.put_object(Bucket=bucket, Key="3.txt", Body=b"new")
    # WHEN the next save is interrupted (Ctrl-C) at its third object
    interrupted = boto3.client("s3", endpoint_url=s3_endpoint)
    calls = []

    def ctrl_c(**_: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt

    interrupted.meta.events.register("before-call.s3.GetObject", ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        snapshot.save(interrupted, bucket, tmp_path / "snap")
    # THEN the previous snapshot is there, whole, and no partial file is left
    assert saved_keys(tmp_path / "snap") == ["0.txt", "1.txt", "2.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap.tar"]


def test_a_folder_saved_by_an_earlier_version_is_restored_then_replaced(
    s3_client: S3Client, bucket: str, tmp_path: Path
) -> None:
    (tmp_path / "snap" / "imports").mkdir(parents=True)
    (tmp_path / "snap" / "imports" / "a.csv").write_bytes(b"a")
    assert snapshot.restore(s3_client, bucket, tmp_path / "snap") == 1
    assert contents(s3_client, bucket) == {"imports/a.csv": b"a"}
    assert snapshot.save(s3_client, bucket, tmp_path / "snap") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap.tar"]


def test_restoring_without_a_snapshot_restores_nothing(
    s3_client: S3Client, bucket: str, tmp_path: Path
) -> None:
    assert snapshot.restore(s3_client, bucket, tmp_path / "none") == 0
    assert contents(s3_client, bucket) == {}
