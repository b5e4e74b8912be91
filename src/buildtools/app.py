"""Build dist/<function>.zip: the function's package and the shared package, precompiled.

`python -m buildtools.app --runtime python3.13 --arch arm64`
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from buildtools import bytecode, requirements
from buildtools.interpreter import find_python
from buildtools.target import ARCHITECTURES, Target
from buildtools.zips import describe, write_zip

PROJECT = Path(__file__).resolve().parents[2]
# Function -> the packages under src/ its zip holds (the handler is <first>.index.handler).
FUNCTIONS = {
    "sample_api": ("sample_api", "shared"),
    "sample_event": ("sample_event", "shared"),
    "migrator": ("migrator", "shared"),
}
_SKIPPED = shutil.ignore_patterns("__pycache__", "*.py[cod]", ".*")


def build_function(
    name: str, target: Target, dist: Path, python: Path, project: Path = PROJECT
) -> Path:
    """Stage, precompile and zip one function; returns the zip's path."""
    destination = dist / f"{name}.zip"
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as tmp:
        task = Path(tmp)
        for package in FUNCTIONS[name]:
            shutil.copytree(project / "src" / package, task / package, ignore=_SKIPPED)
        if name == "migrator":
            _add_migrations(task, target, python, project)
        bytecode.compile_tree(python, task, "/var/task")
        write_zip(task, destination)
    return destination


def _add_migrations(task: Path, target: Target, python: Path, project: Path) -> None:
    # The SQL goes inside the package, where migrator.apply looks first. yoyo and its pure-Python
    # dependencies ride in this zip rather than a second layer: only this function needs them.
    shutil.copytree(project / "migrations", task / "migrator" / "migrations", ignore=_SKIPPED)
    pins = requirements.export(project, group="migrate")
    requirements.install(pins, task, target, python)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", default="python3.13")
    parser.add_argument("--arch", default="arm64", choices=ARCHITECTURES)
    parser.add_argument("--dist", type=Path, default=PROJECT / "dist")
    parser.add_argument("functions", nargs="*", default=list(FUNCTIONS))
    args = parser.parse_args(argv)
    target = Target(args.runtime, args.arch)
    python = find_python(target.python_version)
    for name in args.functions:
        print(describe(build_function(name, target, args.dist, python)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
