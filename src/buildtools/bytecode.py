"""Precompiled bytecode that Lambda uses as is: it cannot write __pycache__ itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def compile_tree(python: Path, root: Path, deployed_at: str) -> None:
    """Compile every module under root with the target's interpreter, recording deployed paths.

    unchecked-hash .pyc files are used without looking at the source's mtime (zips have fixed
    mtimes) and are byte-identical across builds. A fixed hash seed keeps set constants in the
    same order.
    """
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONHASHSEED": "0"}
    command = [str(python), "-m", "compileall", "-q", "-j", "0"]
    command += ["--invalidation-mode", "unchecked-hash", "-s", str(root), "-p", deployed_at]
    result = subprocess.run([*command, str(root)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"compileall failed under {root}:\n{result.stdout}{result.stderr}")


def strip_tree(root: Path) -> None:
    """Remove all bytecode under root (the benchmark's 'no bytecode' case)."""
    for cache in sorted(root.rglob("__pycache__"), reverse=True):
        shutil.rmtree(cache)
