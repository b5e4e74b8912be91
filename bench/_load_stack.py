"""The local cloud under test (`python -m localcloud` on free ports), and import progress."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from bench._declared import api_function
from stackspec.model import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

API = api_function().name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _drain(stream: IO[str]) -> None:
    """Read the console; show what is not a line about one API call (the import's lines)."""
    for line in stream:
        if line.strip() and API not in line:
            print(f"  [localcloud] {line.rstrip()}", flush=True)


def _snapshot(folder: Path) -> Path:
    """A copy of the code as it is now: an edit during the run must not reload a function.

    The templates come too: the local cloud reads its functions from them, beside src/.
    """
    for name in ("src", "migrations", "deploy/cloudformation"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    return folder / "src"


@contextmanager
def local_cloud(folder: Path) -> Iterator[dict[str, Any]]:
    """Run the stack on 127.0.0.1, code copied and data kept under `folder`; yields its state."""
    from localcloud.instance import read_state

    data_dir = folder / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DATABASE_URL"))}
    env.update(
        PYTHONPATH=str(_snapshot(folder / "code")),
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
    """Samples of the import: the users table's size in bytes, and its committed rows."""

    database_url: str
    interval: float = 0.25
    count_every: int = 4  # count(*) of millions of rows costs CPU: every 4th sample only
    points: list[tuple[float, int, int]] = field(default_factory=list)  # (t, bytes, users)
    _stop: threading.Event = field(default_factory=threading.Event)

    def watch(self, began: float) -> threading.Thread:
        thread = threading.Thread(target=self._run, args=(began,), daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

    def _run(self, began: float) -> None:
        import psycopg

        # The import is one transaction: other sessions see no new user until its commit.
        # The table's size on disk (heap and indexes) grows as the rows go in, committed or not.
        size = "SELECT pg_total_relation_size('users')"
        users = 0
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            for n in itertools.count():
                if self._stop.is_set():
                    return
                row = conn.execute(size).fetchone()
                grown = int(row[0]) if row else 0
                if n % self.count_every == 0:
                    counted = conn.execute("SELECT count(*) FROM users").fetchone()
                    users = int(counted[0]) if counted else users
                self.points.append((time.perf_counter() - began, grown, users))
                self._stop.wait(self.interval)
