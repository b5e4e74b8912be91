"""One local cloud per data folder, and the state file the tools read."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from localcloud.instance import AlreadyRunningError, InstanceLock, read_state

if TYPE_CHECKING:
    from pathlib import Path


def test_second_lock_on_the_same_folder_is_refused_with_the_running_endpoints(
    tmp_path: Path,
) -> None:
    first = InstanceLock(tmp_path)
    first.acquire()
    first.publish({"api_url": "http://127.0.0.1:3000"})
    try:
        with pytest.raises(
            AlreadyRunningError, match=r"already running .*API http://127.0.0.1:3000"
        ):
            InstanceLock(tmp_path).acquire()
    finally:
        first.release()


def test_state_is_readable_only_while_the_lock_is_held(tmp_path: Path) -> None:
    lock = InstanceLock(tmp_path)
    lock.acquire()
    lock.publish({"api_url": "http://127.0.0.1:3000"})
    assert read_state(tmp_path) == {"pid": os.getpid(), "api_url": "http://127.0.0.1:3000"}
    lock.release()
    assert read_state(tmp_path) is None
    again = InstanceLock(tmp_path)
    again.acquire()  # free again
    again.release()


def test_state_file_left_by_a_killed_process_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "localcloud.lock").touch()
    (tmp_path / "localcloud.json").write_text('{"pid": 1, "api_url": "http://stale"}')
    assert read_state(tmp_path) is None
