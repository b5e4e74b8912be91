"""Built artifacts for the build tests: function zips per session, layers cached across runs.

Layers take seconds to build even from uv's wheel cache, so they are kept under
.local/build-cache/ keyed by everything that decides their content (uv.lock, the runtime and
the build code), and built under a file lock so that xdist workers build each one once.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
from typing import TYPE_CHECKING

import pytest

import stackspec
from buildtools.app import build_function
from buildtools.interpreter import find_python
from buildtools.layer import build_layer
from buildtools.target import ARCHITECTURES, Target
from stackspec.model import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

RUNTIME = "python3.13"
_LAYER_INPUTS = (
    "uv.lock",
    *(
        f"src/buildtools/{name}.py"
        for name in ("layer", "requirements", "bytecode", "zips", "target")
    ),
)


def _layer_key() -> str:
    digest = hashlib.sha256(RUNTIME.encode())
    for name in _LAYER_INPUTS:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def python313() -> Path:
    """The runtime's interpreter; a missing one fails the tests with how to install it."""
    return find_python("3.13")


@pytest.fixture(scope="session")
def layers(python313: Path) -> dict[str, Path]:
    """dist-style layer zips for every architecture, from the cache when up to date."""
    cache = ROOT / ".local" / "build-cache" / f"layers-{_layer_key()}"
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for arch in ARCHITECTURES:
            if not (cache / f"layer-{arch}.zip").is_file():
                build_layer(Target(RUNTIME, arch), cache, python313)
    return {arch: cache / f"layer-{arch}.zip" for arch in ARCHITECTURES}


@pytest.fixture(scope="session")
def dist(
    tmp_path_factory: pytest.TempPathFactory, python313: Path, layers: dict[str, Path]
) -> Iterator[Path]:
    """A dist/ folder as `make build` leaves it: every declared function's zip, both layers."""
    folder = tmp_path_factory.mktemp("dist")
    for function in stackspec.functions():
        build_function(function, Target(RUNTIME, "arm64"), folder, python313)
    for layer in layers.values():
        shutil.copy(layer, folder / layer.name)
    yield folder
