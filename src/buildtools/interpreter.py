"""Find a CPython of the runtime's version on this machine: through uv, pyenv or PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


class InterpreterNotFoundError(RuntimeError):
    """No interpreter of the wanted Python version exists on this machine."""


def find_python(version: str) -> Path:
    """The first CPython `version` (e.g. "3.13") found; raises with how to install one."""
    for candidate in _candidates(version):
        if _is_version(candidate, version):
            return candidate
    raise InterpreterNotFoundError(
        f"no Python {version} interpreter found (looked through uv, pyenv and PATH). "
        f"Install one with `uv python install {version}` or `pyenv install {version}`, "
        "then run the command again."
    )


def _candidates(version: str) -> list[Path]:
    found: list[Path] = []
    uv = shutil.which(os.environ.get("UV", "uv")) or shutil.which("uv")
    if uv:
        result = subprocess.run(
            [uv, "python", "find", "--system", "--no-project", version],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0 and result.stdout.strip():
            found.append(Path(result.stdout.strip()))
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    found.extend(sorted(pyenv_root.glob(f"versions/{version}.*/bin/python{version}"), reverse=True))
    on_path = shutil.which(f"python{version}")
    if on_path:
        found.append(Path(on_path))
    return found


def _is_version(candidate: Path, version: str) -> bool:
    check = "import sys; print(sys.implementation.name, '%d.%d' % sys.version_info[:2])"
    try:
        result = subprocess.run(
            [str(candidate), "-I", "-c", check],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return False
    return result.returncode == 0 and result.stdout.split() == ["cpython", version]
