"""`make verify`: static checks of dist/ on both architectures, then the executed check here.

`python -m buildtools.verify --runtime python3.13 [--dist dist]`; exits 1 listing every problem.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import stackspec
from buildtools import requirements
from buildtools.checks import check_artifact, check_bundle
from buildtools.execute import executed_check
from buildtools.target import ARCHITECTURES, Target, host_arch
from stackspec.model import ROOT

if TYPE_CHECKING:
    from collections.abc import Sequence

    from stackspec import Function


def dev_distributions(
    project: Path = ROOT, functions: Sequence[Function] | None = None
) -> frozenset[str]:
    """Distributions only the dev group brings in, but for the groups a function's zip ships."""

    def names(group: str | None) -> set[str]:
        return {requirements.name_of(line) for line in requirements.export(project, group=group)}

    groups = {group for f in functions or stackspec.functions() for group in f.requirements}
    shipped = {name for group in groups for name in names(group)}
    return frozenset(names("dev") - names(None) - shipped)


def static_problems(
    dist: Path, runtime: str, functions: Sequence[Function] | None = None
) -> list[str]:
    """Every static check of every declared function's zip and the layer, for each architecture."""
    functions = stackspec.functions() if functions is None else functions
    dev = dev_distributions(functions=functions)
    problems: list[str] = []
    for arch in ARCHITECTURES:
        target = Target(runtime, arch)
        layer = dist / f"layer-{arch}.zip"
        zips = [dist / function.artifact for function in functions]
        missing = [path for path in (layer, *zips) if not path.is_file()]
        problems.extend(f"{path}: missing; run `make build`" for path in missing)
        if missing:
            continue
        for artifact in (layer, *zips):
            problems.extend(str(problem) for problem in check_artifact(artifact, target, dev))
        for artifact in zips:
            problems.extend(str(problem) for problem in check_bundle(artifact, layer))
    return problems


def _executed_problems(dist: Path, runtime: str) -> list[str]:
    from localcloud.paths import local_dir
    from localcloud.postgres import start_embedded
    from localcloud.scratch import emulated_s3

    server_url = os.environ.get("DATABASE_URL") or start_embedded(local_dir() / "verify-postgres")
    with emulated_s3() as s3, tempfile.TemporaryDirectory(prefix="verify-") as workdir:
        target = Target(runtime, host_arch())
        return executed_check(dist, target, server_url, s3.client(), Path(workdir), print)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", default="python3.13")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    problems = static_problems(args.dist, args.runtime)
    print(f"static checks ({', '.join(ARCHITECTURES)}): {len(problems)} problem(s)", flush=True)
    if not problems:
        problems = _executed_problems(args.dist, args.runtime)
        print(f"executed check ({host_arch()}): {len(problems)} problem(s)")
    for problem in problems:
        print(f"  - {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
