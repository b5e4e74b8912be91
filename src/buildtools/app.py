"""Build dist/<function>.zip for each function the templates declare, precompiled.

`python -m buildtools.app --runtime python3.13 --arch arm64 [function ...]` (default: every one)
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import stackspec
from buildtools import bytecode, requirements
from buildtools.interpreter import find_python
from buildtools.target import ARCHITECTURES, Target
from buildtools.zips import describe, write_zip
from stackspec.model import ROOT

if TYPE_CHECKING:
    from stackspec import Function

_SKIPPED = shutil.ignore_patterns("__pycache__", "*.py[cod]", ".*")


def build_function(
    function: Function, target: Target, dist: Path, python: Path, project: Path = ROOT
) -> Path:
    """Stage, precompile and zip one function as declared; returns the zip's path.

    The zip holds its packages from src/, the folders its template bundles (placed where the
    function looks for them) and the dependency groups it alone needs: those ride in its zip
    rather than in the layer every function loads.
    """
    destination = dist / function.artifact
    with tempfile.TemporaryDirectory(prefix=f"{function.name}-") as tmp:
        task = Path(tmp) / "task"
        for package in function.packages:
            shutil.copytree(project / "src" / package, task / package, ignore=_SKIPPED)
        for folder, place in function.bundle.items():
            shutil.copytree(project / folder, task / place, ignore=_SKIPPED)
        for group in function.requirements:
            requirements.install(requirements.export(project, group=group), task, target, python)
        bytecode.compile_tree(python, task, "/var/task")
        write_zip(task, destination)
    return destination


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", default="python3.13")
    parser.add_argument("--arch", default="arm64", choices=ARCHITECTURES)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("functions", nargs="*", help="names of functions to build (default: all)")
    args = parser.parse_args(argv)
    try:
        functions = [stackspec.function(name) for name in args.functions] or stackspec.functions()
    except KeyError as error:
        parser.error(str(error.args[0]))
    target = Target(args.runtime, args.arch)
    python = find_python(target.python_version)
    for function in functions:
        print(describe(build_function(function, target, args.dist, python)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
