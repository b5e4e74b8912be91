"""`make import STAGE=… FILE=x.csv`: upload to the stage's import bucket, wait for the report.

The key is the declared notification prefix and the file's name (imports/x.csv); the importer
writes its report under reports/ (docs/events.md), which this waits for, bounded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from localcloud.upload import summary_line, upload, wait_for_report

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from opstools.stage import Stage

# What an S3 round trip from a laptop costs: polling faster only adds requests.
POLL_SECONDS = 2.0
SUCCEEDED = ("completed", "duplicate-delivery", "skipped")


@dataclass(frozen=True)
class Upload:
    """Where the file goes, from the declaration and the deployed stack."""

    bucket: str
    key: str


def destination(stage: Stage, cfn: Any, path: Path, function: str | None) -> Upload:
    """The deployed bucket and the key that the bucket's notification sends to the importer."""
    importer, source = stage.import_source(function)
    if not path.name.lower().endswith(source.suffix.lower()):
        raise ValueError(f"{path}: only {source.suffix} files under {source.prefix} are imported")
    return Upload(stage.import_bucket(cfn, importer, source), source.prefix + path.name)


def run(
    s3: Any,
    target: Upload,
    path: Path,
    *,
    timeout: float,
    say: Callable[[str], None],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any] | None:
    """Upload, then the importer's report of that version; None when it did not come in time."""
    versions = upload(s3, target.bucket, path, target.key)
    say(f"uploaded s3://{target.bucket}/{target.key}; its report within {timeout:g} s...")
    try:
        return wait_for_report(
            s3, target.bucket, target.key, versions, timeout, interval=POLL_SECONDS, sleep=sleep
        )
    except TimeoutError as exc:
        say(str(exc))
        return None


def outcome(report: dict[str, Any], stage: Stage, say: Callable[[str], None]) -> int:
    """Print the report; the exit status: 0 when the import succeeded, 1 when it failed."""
    print(summary_line(report), flush=True)
    if report.get("import_id"):
        say(f"its log lines: make logs STAGE={stage.name} ID={report['import_id']} SINCE=1h")
    return 0 if report.get("status") in SUCCEEDED else 1
