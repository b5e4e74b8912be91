"""Build dist/layer-<arch>.zip: python/ with the locked runtime dependencies, as wheels.

`python -m buildtools.layer --runtime python3.13 --arch arm64 --arch x86_64`
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from buildtools import bytecode, requirements
from buildtools.interpreter import find_python
from buildtools.target import ARCHITECTURES, Target
from buildtools.zips import describe, write_zip
from stackspec.model import ROOT


def layer_requirements(project: Path = ROOT) -> list[str]:
    """The locked runtime dependencies, minus what the Lambda runtime provides."""
    return [
        line
        for line in requirements.export(project)
        if requirements.name_of(line) not in requirements.RUNTIME_PROVIDED
    ]


def build_layer(target: Target, dist: Path, python: Path, project: Path = ROOT) -> Path:
    """Install, precompile and zip the layer for one architecture; returns the zip's path."""
    destination = dist / f"layer-{target.arch}.zip"
    with tempfile.TemporaryDirectory(prefix="layer-") as tmp:
        site = Path(tmp) / "python"
        requirements.install(layer_requirements(project), site, target, python)
        bytecode.compile_tree(python, site, "/opt/python")
        write_zip(Path(tmp), destination)
    return destination


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", default="python3.13")
    parser.add_argument("--arch", action="append", choices=ARCHITECTURES)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    targets = [Target(args.runtime, arch) for arch in args.arch or ARCHITECTURES]
    python = find_python(targets[0].python_version)
    print(f"layer: without {', '.join(sorted(requirements.RUNTIME_PROVIDED))} (in the runtime)")
    for target in targets:
        print(describe(build_layer(target, args.dist, python)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
