"""SnapStart's lifecycle, emulated in one process: the hooks Lambda would run, a fork as a restore.

Lambda runs the before-snapshot hooks in reverse order of registration, snapshots the
process, and in each restored copy runs the after-restore hooks in order of registration
(snapshot_restore_py's registries). A fork stands for the restore here: the child starts from
a copy of the parent's memory, as a restored environment starts from the snapshot's.
Local tooling (tests, benchmarks); never shipped.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any


def run_before_snapshot() -> None:
    """Run the registered before-snapshot hooks as Lambda does: last registered first."""
    for func, args, kwargs in reversed(_registry("get_before_snapshot")):
        func(*args, **kwargs)


def run_after_restore() -> None:
    """Run the registered after-restore hooks as Lambda does: in order of registration."""
    for func, args, kwargs in _registry("get_after_restore"):
        func(*args, **kwargs)


def fork_restored() -> int:
    """Fork a copy of this process as a restore would start it; 0 in the copy, its pid here.

    A fork differs from a restore in one way the hooks care about: Python reseeds `random` in
    a forked child by itself (os.register_at_fork), while a restored snapshot keeps the
    snapshot's state. The copy gets that state back, then runs the after-restore hooks.
    """
    state = random.getstate()
    pid = os.fork()
    if pid == 0:
        random.setstate(state)
        run_after_restore()
    return pid


def open_sockets() -> list[str]:
    """This process's open sockets, as /proc shows them (`socket:[inode]`)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = str(fd.readlink())
        except FileNotFoundError:  # the descriptor that listed the folder, closed since
            continue
        if target.startswith("socket:"):
            found.append(target)
    return found


def _registry(getter: str) -> list[tuple[Any, tuple[Any, ...], dict[str, Any]]]:
    import snapshot_restore_py

    hooks: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = getattr(
        snapshot_restore_py, getter
    )()
    return hooks
