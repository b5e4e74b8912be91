"""One local cloud per data folder: a lock held while it runs, and a state file for the tools.

`make invoke`, `make import` and `make seed` read the state file to reach the running services.
"""

from __future__ import annotations

import fcntl
import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path
    from typing import IO

LOCK_FILE = "localcloud.lock"
STATE_FILE = "localcloud.json"


class AlreadyRunningError(Exception):
    """Another local cloud holds this data folder."""


class InstanceLock:
    """An flock on the data folder: released by the kernel even if the process is killed."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        file = (self.data_dir / LOCK_FILE).open("a+", encoding="utf-8")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.close()
            state = read_state(self.data_dir)
            where = f" (pid {state['pid']}, API {state['api_url']})" if state else ""
            raise AlreadyRunningError(
                f"the local cloud is already running for {self.data_dir}{where}; "
                "use it, or stop it with Ctrl-C in its terminal"
            ) from None
        self._file = file

    def publish(self, state: dict[str, Any]) -> None:
        """Write the state file, atomically, once everything is ready."""
        path = self.data_dir / STATE_FILE
        temporary = path.with_suffix(".tmp")
        temporary.touch(mode=0o600)  # it names the database: for this user's eyes only
        temporary.write_text(json.dumps({"pid": os.getpid(), **state}, indent=2), "utf-8")
        temporary.replace(path)

    def release(self) -> None:
        (self.data_dir / STATE_FILE).unlink(missing_ok=True)
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def read_state(data_dir: Path) -> dict[str, Any] | None:
    """The running local cloud's endpoints, or None when none runs for this data folder."""
    lock_path = data_dir / LOCK_FILE
    if not lock_path.exists():
        return None
    with lock_path.open("a+", encoding="utf-8") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # held: a local cloud runs
        else:
            fcntl.flock(file, fcntl.LOCK_UN)
            return None  # nobody holds it: a state file left there is stale
    try:
        state: dict[str, Any] = json.loads((data_dir / STATE_FILE).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return None  # starting, not ready yet
    return state
