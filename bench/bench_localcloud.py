"""`make dev`: time from start to ready, and from an object's upload to its report.

`python -m bench localcloud`. Starts `python -m localcloud` on free ports with a data folder
of its own: once on an empty folder (initdb), then RESTARTS times on the same data (the
everyday case), reading "ready in X s" from its ready line (measured from process creation).
With the last one running, uploads a small CSV UPLOADS times and a 66k-row CSV once, timing
from the end of PutObject to the report being readable. Bytecode is cached (in a private
PYTHONPYCACHEPREFIX, as a laptop caches it in the venv); runs without a cache are shown too.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stackspec.model import ROOT

RESTARTS = int(os.environ.get("BENCH_DEV_RESTARTS", "5"))
UPLOADS = int(os.environ.get("BENCH_DEV_UPLOADS", "10"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(data_dir: Path, pycache: Path | None) -> tuple[subprocess.Popen[str], float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DATABASE_URL"))}
    if pycache is not None:  # bytecode cached as on any laptop, kept out of the shared .venv
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        LOCAL_DATA_DIR=str(data_dir),
        API_PORT=str(_free_port()),
        S3_PORT=str(_free_port()),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "localcloud"], env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "ready in " in line:
            return process, float(line.split("ready in ")[1].split(" s")[0])
    raise RuntimeError("the local cloud stopped before it was ready")


def _stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)


def _upload_to_report(data_dir: Path, body: bytes, name: str) -> float:
    from localcloud.instance import read_state
    from localcloud.upload import s3_client

    state = read_state(data_dir)
    assert state is not None
    client = s3_client(state["s3_endpoint"])
    client.put_object(Bucket=state["bucket"], Key=f"imports/{name}", Body=body)
    uploaded = time.perf_counter()
    while True:
        try:
            client.head_object(Bucket=state["bucket"], Key=f"reports/{name}.json")
            return time.perf_counter() - uploaded
        except client.exceptions.ClientError:
            time.sleep(0.005)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        data_dir, pycache = Path(folder) / "data", Path(folder) / "pycache"
        process, first = _start(data_dir, pycache)  # also fills the bytecode cache
        _stop(process)
        restarts, uncached = [], []
        for _ in range(RESTARTS):
            process, ready = _start(data_dir, pycache)
            restarts.append(ready)
            _stop(process)
            process, ready = _start(data_dir, None)
            uncached.append(ready)
            _stop(process)
        print(f"ready, empty data folder (initdb, compiling bytecode): {first:.2f} s")
        for label, runs in (("", restarts), (", no bytecode cache", uncached)):
            median = statistics.median(runs)
            print(f"ready, existing data{label} (median of {RESTARTS}): {median:.2f} s")
            print(f"  runs: {', '.join(f'{value:.2f}' for value in runs)}")
        process, _ = _start(data_dir, pycache)
        try:
            small = (ROOT / "sample_users.csv").read_bytes()
            # Distinct contents: the same bytes again would be a duplicate delivery.
            times = [
                _upload_to_report(
                    data_dir, small + f"Run {n},run{n}@example.com\n".encode(), f"s{n}.csv"
                )
                for n in range(UPLOADS)
            ]
            rows = "".join(f"User {n},bench{n}@example.com\n" for n in range(66_666))
            big = _upload_to_report(data_dir, f"name,email\n{rows}".encode(), "big.csv")
        finally:
            _stop(process)
        print(f"upload -> report, 31 rows (median of {UPLOADS}): {statistics.median(times):.3f} s")
        print(f"  min {min(times):.3f} s, max {max(times):.3f} s")
        print(f"upload -> report, 66,666 rows (2.1 MB): {big:.2f} s")
