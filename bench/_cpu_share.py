"""Run a child process on a fraction of one CPU core, as Lambda runs a function of a given memory.

Lambda gives a function CPU time in proportion to its memory: 1,769 MB is one vCPU, 512 MB about
0.29 of one. Here the child is pinned to one core (sched_setaffinity) and throttled by the
kernel's CFS bandwidth control in a cgroup of its own: cpu.max under cgroup v2, or
cpu.cfs_quota_us under v1, with a 100 ms period. That needs a writable cgroup (root); where
there is none, share_group yields None and the bench says so. The child joins the group
itself, first thing (join_from_env), so the parent needs no preexec_fn.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

MB_PER_VCPU = 1769
ENV = "BENCH_CPU_GROUP"  # "<cgroup dir>:<core>", for the child
_PERIOD_US = 100_000
_V2 = Path("/sys/fs/cgroup")
_V1 = Path("/sys/fs/cgroup/cpu")


def share_of(memory_mb: int) -> float:
    """The vCPU share Lambda gives a function of this memory (capped at one core here)."""
    return min(1.0, memory_mb / MB_PER_VCPU)


def mechanism() -> str | None:
    """How the share is enforced on this machine, or None if it cannot be."""
    if (_V2 / "cgroup.controllers").exists() and "cpu" in _read(_V2 / "cgroup.subtree_control"):
        return "cgroup v2 cpu.max"
    if (_V1 / "cpu.cfs_quota_us").exists():
        return "cgroup v1 cpu.cfs_quota_us"
    return None


@contextmanager
def share_group(share: float) -> Iterator[dict[str, str] | None]:
    """Variables that put a child (join_from_env) on one core at `share` of it; None: no cgroup."""
    kind = mechanism()
    group = (_V2 if kind == "cgroup v2 cpu.max" else _V1) / f"bench-import-{os.getpid()}"
    try:
        group.mkdir()
    except OSError:
        yield None
        return
    try:
        quota = int(share * _PERIOD_US)
        if kind == "cgroup v2 cpu.max":
            (group / "cpu.max").write_text(f"{quota} {_PERIOD_US}\n")
        else:
            (group / "cpu.cfs_period_us").write_text(f"{_PERIOD_US}\n")
            (group / "cpu.cfs_quota_us").write_text(f"{quota}\n")
        yield {ENV: f"{group}:{max(os.sched_getaffinity(0))}"}
    finally:
        group.rmdir()  # the child has exited: the group is empty


def join_from_env() -> None:
    """In the child: move this process into the group the parent made, on its one core."""
    spec = os.environ.get(ENV)
    if spec:
        group, core = spec.rsplit(":", 1)
        (Path(group) / "cgroup.procs").write_text(f"{os.getpid()}\n")
        os.sched_setaffinity(0, {int(core)})


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""
