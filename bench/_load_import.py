"""A load run during which a CSV is uploaded to imports/ and imported by the local cloud."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bench import _load_client as client
from bench._load_stack import Progress

if TYPE_CHECKING:
    from pathlib import Path

IMPORT_DELAY = 5.0  # seconds of load before the upload starts: a baseline in the plot
QUIET_AFTER = 2.0  # seconds of load after the report
MAX_IMPORT_SECONDS = 300.0


def write_csv(path: Path, rows: int, prefix: str) -> None:
    """A CSV of `rows` new users whose emails start with `prefix`."""
    with path.open("w", encoding="utf-8") as out:
        out.write("name,email\n")
        for start in range(0, rows, 10_000):
            batch = range(start, min(rows, start + 10_000))
            out.write("".join(f"Import User {n},{prefix}-{n}@example.com\n" for n in batch))


@dataclass
class Imported:
    """A load run with an import: its samples, and when the import started and ended."""

    samples: list[client.Sample] = field(default_factory=list)
    upload_start: float = 0.0
    upload_end: float = 0.0
    report_at: float | None = None  # None: no report within MAX_IMPORT_SECONDS
    summary: dict[str, Any] = field(default_factory=dict)
    progress: list[tuple[float, int, int]] = field(default_factory=list)

    @property
    def window(self) -> tuple[float, float]:
        return self.upload_start, self.report_at or self.upload_start


def _import(state: dict[str, Any], csv_path: Path, began: float, run: Imported) -> None:
    from localcloud.upload import s3_client

    s3 = s3_client(state["s3_endpoint"])
    key = f"imports/{csv_path.name}"
    time.sleep(IMPORT_DELAY)
    run.upload_start = time.perf_counter() - began
    s3.upload_file(str(csv_path), state["bucket"], key)
    run.upload_end = time.perf_counter() - began
    report = "reports/" + key.removeprefix("imports/") + ".json"
    deadline = time.perf_counter() + MAX_IMPORT_SECONDS
    while time.perf_counter() < deadline:
        try:
            body = s3.get_object(Bucket=state["bucket"], Key=report)["Body"].read()
        except s3.exceptions.ClientError:
            time.sleep(0.2)
            continue
        run.report_at, run.summary = time.perf_counter() - began, json.loads(body)
        return


def run_with_import(
    state: dict[str, Any],
    csv_path: Path,
    known: client.Known,
    *,
    concurrency: int,
    seconds: float,
    rate: float | None = None,
) -> Imported:
    """Load for at least `seconds`, and until the import's report is written (+ QUIET_AFTER)."""
    run, stop = Imported(), threading.Event()
    progress = Progress(state["database_url"])
    began = time.perf_counter()
    watcher = progress.watch(began)
    importer = threading.Thread(target=_import, args=(state, csv_path, began, run), daemon=True)
    importer.start()

    def stop_when_done() -> None:
        importer.join(IMPORT_DELAY + MAX_IMPORT_SECONDS + 60)
        time.sleep(max(0.0, seconds - (time.perf_counter() - began)))
        time.sleep(QUIET_AFTER)
        stop.set()

    threading.Thread(target=stop_when_done, daemon=True).start()
    longest = IMPORT_DELAY + MAX_IMPORT_SECONDS + seconds
    run.samples = client.run(state["api_url"], concurrency, longest, known, stop, rate)
    progress.stop()
    watcher.join(10)
    run.progress = progress.points
    return run
