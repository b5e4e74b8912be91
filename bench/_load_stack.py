"""The local cloud under test (`python -m localcloud` on free ports), and import progress."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _drain(stream: IO[str]) -> None:
    """Read the console; show what is not a line about one API call (the import's lines)."""
    for line in stream:
        if "sample_api" not in line:
            print(f"  [localcloud] {line.rstrip()}", flush=True)


@contextmanager
def local_cloud(data_dir: Path) -> Iterator[dict[str, Any]]:
    """Run the stack on 127.0.0.1 with its own data folder; yields its state file's content."""
    from localcloud.instance import read_state

    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DATABASE_URL"))}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        LOCAL_DATA_DIR=str(data_dir),
        API_PORT=str(_free_port()),
        S3_PORT=str(_free_port()),
    )
    # Its console prints one line per invocation: thousands a second here, so it goes nowhere.
    process = subprocess.Popen(
        [sys.executable, "-m", "localcloud"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "ready in " in line:
                break
        else:
            raise RuntimeError("the local cloud stopped before it was ready")
        threading.Thread(target=_drain, args=(process.stdout,), daemon=True).start()
        state = read_state(data_dir)
        assert state is not None
        yield state
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)


@dataclass
class Progress:
    """Samples, every `interval` s, of the import: rows COPYed into staging and users committed."""

    database_url: str
    interval: float = 0.5
    points: list[tuple[float, int, int]] = field(default_factory=list)  # (t, staged, users)
    _stop: threading.Event = field(default_factory=threading.Event)

    def watch(self, began: float) -> threading.Thread:
        thread = threading.Thread(target=self._run, args=(began,), daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

    def _run(self, began: float) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            while not self._stop.is_set():
                # The import is one transaction: users grows only at its commit, while
                # pg_stat_progress_copy shows its COPY into the staging table as it happens.
                staged = conn.execute(
                    "SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy"
                ).fetchone()
                users = conn.execute("SELECT count(*) FROM users").fetchone()
                assert staged is not None and users is not None
                self.points.append((time.perf_counter() - began, int(staged[0]), int(users[0])))
                self._stop.wait(self.interval)
