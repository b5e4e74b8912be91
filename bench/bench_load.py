"""Load on the local gateway, alone and while a 1 M-row CSV imports; writes docs/benchmarks.md.

`python -m bench load` (~3 min, so `make bench` skips it unless BENCH_LOAD=1; `make
check-deep` runs it). Starts `python -m localcloud` on free 127.0.0.1 ports with a data
folder of its own, then: a few seconds at each concurrency of BENCH_LOAD_LEVELS to find the
knee (the fewest connections within 10 % of the best rate: more only queue, since one API
environment serves one request at a time); BENCH_LOAD_SECONDS at the knee with nothing else
running; the same again while a CSV of BENCH_LOAD_ROWS rows, uploaded to
imports/, goes through S3 -> SQS -> poller -> the importer. The requests that started while
the import ran are compared with the unloaded run.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench import _load_client as client
from bench import _load_report as report
from bench._load_import import MAX_IMPORT_SECONDS, Imported, run_with_import, write_csv
from bench._load_stack import local_cloud
from stackspec.model import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
ROWS = int(os.environ.get("BENCH_LOAD_ROWS", "1000000"))
LEVELS = [int(n) for n in os.environ.get("BENCH_LOAD_LEVELS", "1,2,4,8,16").split(",")]
PROBE_SECONDS = float(os.environ.get("BENCH_LOAD_PROBE_SECONDS", "5"))
PACED_SHARE = float(os.environ.get("BENCH_LOAD_PACED_SHARE", "0.3"))
PACED_THREADS = 8  # enough in flight to absorb a burst at the paced rate
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

    with tempfile.TemporaryDirectory() as folder, local_cloud(Path(folder)) as state:
        url = state["api_url"]
        csvs = [Path(folder) / f"load-{n}.csv" for n in (1, 2)]
        for n, path in enumerate(csvs):
            write_csv(path, ROWS, prefix=f"import{n}")
        known = _seed(url)
        client.run(url, 2, 3, known)  # warm: the function's imports, connections, caches
        say(f"knee search, {PROBE_SECONDS:.0f} s per level (load average {_load()}):")
        level = _knee(url, known, say)
        # 1. As fast as the API answers, at the knee.
        fast = client.run(url, level, SECONDS, known)
        base = report.figures(fast)
        say(f"unloaded, {SECONDS:.0f} s at concurrency {level} (load average {_load()}):")
        say(f"  {base.line()}")
        fast_import = run_with_import(state, csvs[0], known, concurrency=level, seconds=SECONDS)
        say(f"with a {ROWS:,}-row import, concurrency {level} (load average {_load()}):")
        _compare(fast_import, base, say)
        # 2. At a fixed rate with headroom: latency then measures service time, not the queue.
        rate = round(base.rate * PACED_SHARE)
        paced = client.run(url, PACED_THREADS, SECONDS, known, rate=rate)
        paced_base = report.figures(paced)
        say(f"unloaded, {SECONDS:.0f} s paced at {rate} req/s (load average {_load()}):")
        say(f"  {paced_base.line()}")
        paced_import = run_with_import(
            state, csvs[1], known, concurrency=PACED_THREADS, seconds=SECONDS, rate=rate
        )
        say(f"with a {ROWS:,}-row import, paced at {rate} req/s (load average {_load()}):")
        _compare(paced_import, paced_base, say)
    png = DOC.with_name("benchmarks-load.png")
    runs = [
        (f"as fast as answered, concurrency {level}", fast, fast_import),
        (f"paced at {rate} req/s ({PACED_SHARE:.0%} of that rate)", paced, paced_import),
    ]
    report.plot(png, runs)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = (
        f"Last run: {stamp}, {_machine()}. `PYTHONPATH=src .venv/bin/python -m bench load`\n\n"
        "```text\n" + "\n".join(lines) + "\n```\n\n"
        f"![API latency per second and import progress]({png.name})\n"
    )
    report.write_section(DOC, body)
    print(f"wrote {DOC} and {png}")


def _compare(run: Imported, base: report.Figures, say: Callable[[str], None]) -> None:
    if run.report_at is None:
        raise RuntimeError(f"the import did not finish within {MAX_IMPORT_SECONDS:.0f} s")
    during = report.figures(run.samples, *run.window)
    say(f"  whole run:     {report.figures(run.samples).line()}")
    say(f"  during import: {during.line()}")
    summary = run.summary
    say(
        f"  import: upload {run.upload_end - run.upload_start:.1f} s, then report "
        f"{run.report_at - run.upload_end:.1f} s later; {summary['status']}, "
        f"{summary['inserted']:,} inserted, {summary['rejected']} rejected, "
        f"function duration {summary['duration_ms'] / 1000:.1f} s"
    )
    say(
        f"  p99 during the import / unloaded p99: {during.p99_ms / base.p99_ms:.2f}x (target <= 2x)"
    )


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
