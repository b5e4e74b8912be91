"""Load on the local gateway, alone and while a 1 M-row CSV imports; writes docs/benchmarks.md.

`python -m bench load` (~3 min, so `make bench` skips it unless BENCH_LOAD=1; `make
check-deep` runs it). Starts `python -m localcloud` on free 127.0.0.1 ports with a data
folder of its own, then: a few seconds at each concurrency of BENCH_LOAD_LEVELS to find the
knee (the fewest connections within 10 % of the best rate: more only queue, since one API
environment serves one request at a time); BENCH_LOAD_SECONDS at the knee with nothing else
running; the same again while a CSV of BENCH_LOAD_ROWS rows, uploaded to
imports/, goes through S3 -> SQS -> poller -> sample_event. The requests that started while
the import ran are compared with the unloaded run.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench import _load_client as client
from bench import _load_report as report
from bench._load_stack import Progress, local_cloud

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
ROWS = int(os.environ.get("BENCH_LOAD_ROWS", "1000000"))
LEVELS = [int(n) for n in os.environ.get("BENCH_LOAD_LEVELS", "1,2,4,8,16").split(",")]
PROBE_SECONDS = float(os.environ.get("BENCH_LOAD_PROBE_SECONDS", "5"))
IMPORT_DELAY = 5.0  # seconds of loaded run before the upload starts: a baseline in the plot
MAX_IMPORT_SECONDS = 300.0
DOC = Path(os.environ.get("BENCH_LOAD_DOC", ROOT / "docs" / "benchmarks.md"))
SEED_USERS = 200


def _seed(url: str) -> client.Known:
    """Users to read back: created through the API, as a client would."""
    known = client.Known(ids=[])
    while len(known.ids) < SEED_USERS:
        client.run(url, 1, 0.2, known) if known.ids else _first_user(url, known)
    return known


def _first_user(url: str, known: client.Known) -> None:
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    body = json.dumps({"name": "Seed", "email": "seed@example.com"})
    conn.request("POST", "/users", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    known.add(int(json.loads(response.read())["id"]))
    conn.close()


def _knee(url: str, known: client.Known, say: Callable[[str], None]) -> int:
    probes = [
        (level, report.figures(client.run(url, level, PROBE_SECONDS, known))) for level in LEVELS
    ]
    for level, figures in probes:
        say(f"  concurrency {level:3d}: {figures.line()}")
    best = max(figures.rate for _, figures in probes)
    return next(level for level, figures in probes if figures.rate >= 0.9 * best)


def _csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("name,email\n")
        for start in range(0, rows, 10_000):
            out.write(
                "".join(
                    f"Import User {n},import-{n}@example.com\n"
                    for n in range(start, min(rows, start + 10_000))
                )
            )


def _import(state: dict[str, Any], csv_path: Path, began: float, marks: dict[str, Any]) -> None:
    """Upload after IMPORT_DELAY, then wait for the report; records when each happened."""
    from localcloud.upload import s3_client

    s3 = s3_client(state["s3_endpoint"])
    time.sleep(IMPORT_DELAY)
    marks["upload_start"] = time.perf_counter() - began
    s3.upload_file(str(csv_path), state["bucket"], "imports/load.csv")
    marks["upload_end"] = time.perf_counter() - began
    deadline = time.perf_counter() + MAX_IMPORT_SECONDS
    while time.perf_counter() < deadline:
        try:
            body = s3.get_object(Bucket=state["bucket"], Key="reports/load.csv.json")["Body"].read()
        except s3.exceptions.ClientError:
            time.sleep(0.2)
            continue
        marks["report"] = time.perf_counter() - began
        marks["summary"] = json.loads(body)
        return


def _loaded(
    url: str, level: int, known: client.Known, state: dict[str, Any], csv_path: Path
) -> tuple[list[client.Sample], dict[str, Any], Progress]:
    marks: dict[str, Any] = {}
    stop = threading.Event()
    progress = Progress(state["database_url"], interval=1.0)
    began = time.perf_counter()
    watcher = progress.watch(began)
    importer = threading.Thread(target=_import, args=(state, csv_path, began, marks), daemon=True)
    importer.start()

    def stop_when_done() -> None:
        importer.join(IMPORT_DELAY + MAX_IMPORT_SECONDS + 60)
        time.sleep(max(0.0, SECONDS - (time.perf_counter() - began)))  # at least SECONDS
        time.sleep(2)  # and a little of the quiet after the import
        stop.set()

    threading.Thread(target=stop_when_done, daemon=True).start()
    samples = client.run(url, level, IMPORT_DELAY + MAX_IMPORT_SECONDS + SECONDS, known, stop)
    progress.stop()
    watcher.join(10)
    return samples, marks, progress


def main() -> None:
    if "load" not in sys.argv[1:] and os.environ.get("BENCH_LOAD") != "1":
        print(
            "skipped (~3 min): `python -m bench load`, BENCH_LOAD=1 make bench, or make check-deep"
        )
        return
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    with tempfile.TemporaryDirectory() as folder, local_cloud(Path(folder) / "data") as state:
        url = state["api_url"]
        csv_path = Path(folder) / "load.csv"
        _csv(csv_path, ROWS)
        known = _seed(url)
        client.run(url, 2, 3, known)  # warm: the function's imports, connections, caches
        say(f"knee search, {PROBE_SECONDS:.0f} s per level (load average {_load()}):")
        level = _knee(url, known, say)
        unloaded = client.run(url, level, SECONDS, known)
        base = report.figures(unloaded)
        say(f"unloaded, {SECONDS:.0f} s at concurrency {level} (load average {_load()}):")
        say(f"  {base.line()}")
        loaded, marks, progress = _loaded(url, level, known, state, csv_path)
        say(f"with a {ROWS:,}-row import, concurrency {level} (load average {_load()}):")
    if "report" not in marks:
        raise RuntimeError(f"the import did not finish within {MAX_IMPORT_SECONDS:.0f} s")
    window = (marks["upload_start"], marks["report"])
    during = report.figures(loaded, *window)
    say(f"  whole run:     {report.figures(loaded).line()}")
    say(f"  during import: {during.line()}")
    summary = marks["summary"]
    say(
        f"  import: upload {marks['upload_end'] - marks['upload_start']:.1f} s, then report "
        f"{marks['report'] - marks['upload_end']:.1f} s later; {summary['status']}, "
        f"{summary['inserted']:,} inserted, {summary['rejected']} rejected, "
        f"function duration {summary['duration_ms'] / 1000:.1f} s"
    )
    say(
        f"  p99 during the import / unloaded p99: {during.p99_ms / base.p99_ms:.2f}x (target <= 2x)"
    )
    png = DOC.with_name("benchmarks-load.png")
    report.plot(png, unloaded, loaded, window, progress.points)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = (
        f"Last run: {stamp}, {_machine()}. `PYTHONPATH=src .venv/bin/python -m bench load`\n\n"
        "```text\n" + "\n".join(lines) + "\n```\n\n"
        f"![API latency per second and import progress]({png.name})\n"
    )
    report.write_section(DOC, body)
    print(f"wrote {DOC} and {png}")


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
