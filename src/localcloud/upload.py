"""`make import FILE=x.csv` / `make seed`: upload under imports/, wait for the report, print it."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localcloud.config import FAKE_AWS
from localcloud.instance import read_state
from localcloud.paths import local_dir

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_s3 import S3Client

PROGRESS_FROM_BYTES = 1 << 20  # smaller files upload in a blink: no bar


class ProgressBar:
    """boto3's upload Callback: a bar on stderr, redrawn as bytes go out (thread-safe)."""

    def __init__(self, total: int, width: int = 30) -> None:
        self.total, self.width, self.sent = total, width, 0
        self._lock = threading.Lock()

    def __call__(self, sent: int) -> None:
        with self._lock:
            self.sent += sent
            done = self.sent / self.total if self.total else 1.0
            bar = "#" * int(done * self.width)
            mib = self.sent / (1 << 20)
            sys.stderr.write(f"\rupload [{bar:<{self.width}}] {done:4.0%} {mib:7.1f} MiB")
            if self.sent >= self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def s3_client(endpoint: str) -> S3Client:
    """A client for the local cloud's S3 endpoint (fake credentials unless some are set)."""
    import boto3

    for name, value in FAKE_AWS.items():
        os.environ.setdefault(name, value)
    return boto3.client("s3", endpoint_url=endpoint)


def upload(client: S3Client, bucket: str, path: Path, key: str) -> set[str]:
    """Upload the file; returns the ids the importer may record: version id and ETag."""
    size = path.stat().st_size
    callback = ProgressBar(size) if size >= PROGRESS_FROM_BYTES else None
    client.upload_file(str(path), bucket, key, Callback=callback)
    head = client.head_object(Bucket=bucket, Key=key)
    # An S3 that leaves the version out of its notifications makes the importer use the ETag.
    return {head.get("VersionId") or "", head["ETag"].strip('"')} - {"", "null"}


def report_key(key: str) -> str:
    """Where the importer writes the JSON report of an object under imports/."""
    return "reports/" + key.removeprefix("imports/") + ".json"


def wait_for_report(
    client: S3Client,
    bucket: str,
    key: str,
    versions: set[str],
    timeout: float,
    *,
    interval: float = 0.1,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, Any]:
    """The JSON report of this version of the object, once the importer has written it."""
    report = report_key(key)
    deadline = clock() + timeout
    while True:
        try:
            body = client.get_object(Bucket=bucket, Key=report)["Body"].read()
            found: dict[str, Any] = json.loads(body)
            if found.get("version") in versions:
                return found
        except client.exceptions.NoSuchKey:
            pass
        if clock() > deadline:
            raise TimeoutError(f"no report at s3://{bucket}/{report} after {timeout:.0f} s")
        sleep(interval)


def summary_line(report: dict[str, Any]) -> str:
    """The report in one line."""
    line = (
        f"{report['key']}: {report['status']} - {report['rows_read']} row(s) read, "
        f"{report['inserted']} imported, {report['duplicates']} duplicate(s), "
        f"{report['rejected']} rejected"
    )
    if report.get("error"):
        line += f" ({report['error']})"
    if report.get("rejected_report"):
        line += f"; rejected rows: s3://{report['bucket']}/{report['rejected_report']}"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make import", description=__doc__)
    parser.add_argument("file", type=Path, help="the CSV file to import")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait")
    args = parser.parse_args(argv)
    state = read_state(local_dir())
    if state is None:
        print("no local cloud is running: start `make dev` in another terminal", file=sys.stderr)
        return 1
    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    client = s3_client(state["s3_endpoint"])
    key = "imports/" + args.file.name
    start = time.perf_counter()
    versions = upload(client, state["bucket"], args.file, key)
    uploaded = time.perf_counter()
    print(f"uploaded s3://{state['bucket']}/{key} in {uploaded - start:.2f} s; importing...")
    try:
        report = wait_for_report(client, state["bucket"], key, versions, args.timeout)
    except TimeoutError as exc:
        print(f"{exc}: see the `make dev` console", file=sys.stderr)
        return 1
    print(summary_line(report))
    elapsed = time.perf_counter() - uploaded
    print(f"report {elapsed:.2f} s after the upload; see {state['api_url']}/users")
    return 0 if report["status"] in ("completed", "duplicate-delivery", "skipped") else 1


if __name__ == "__main__":
    raise SystemExit(main())
