"""The layer: locked runtime dependencies as Lambda wheels, for both architectures."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

import pytest

import stackspec
from buildtools.checks import check_artifact, check_bundle
from buildtools.layer import layer_requirements
from buildtools.requirements import RUNTIME_PROVIDED
from buildtools.target import ARCHITECTURES, Target
from buildtools.verify import dev_distributions


def _top_level(layer: Path) -> set[str]:
    with zipfile.ZipFile(layer) as archive:
        return {PurePosixPath(name).parts[1] for name in archive.namelist()}


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_layer_passes_every_static_check(dist: Path, arch: str) -> None:
    target = Target("python3.13", arch)
    layer = dist / f"layer-{arch}.zip"
    assert check_artifact(layer, target, dev_distributions()) == []
    for function in stackspec.functions():
        assert check_artifact(dist / function.artifact, target, dev_distributions()) == []
        assert check_bundle(dist / function.artifact, layer) == []


def test_no_function_zip_ships_again_what_the_layer_holds(dist: Path) -> None:
    layer = _top_level(dist / "layer-arm64.zip")
    for function in stackspec.functions():
        with zipfile.ZipFile(dist / function.artifact) as archive:
            top = {PurePosixPath(name).parts[0] for name in archive.namelist()}
        assert not top & layer, function.name


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_layer_holds_the_exact_locked_versions_under_python(dist: Path, arch: str) -> None:
    installed = {
        name.removesuffix(".dist-info").lower().replace("_", "-")
        for name in _top_level(dist / f"layer-{arch}.zip")
        if name.endswith(".dist-info")
    }
    wanted = {
        line.split(";")[0].strip().replace("==", "-").lower() for line in layer_requirements()
    }
    # tzdata is locked for Windows only: uv leaves it out for Linux, as it should
    assert installed == {pin for pin in wanted if not pin.startswith("tzdata-")}


def test_layer_leaves_out_what_the_runtime_provides(dist: Path) -> None:
    top = _top_level(dist / "layer-arm64.zip")
    assert not {"boto3", "botocore", "s3transfer", "urllib3", "dateutil", "six.py"} & top
    assert {
        "psycopg",
        "psycopg_binary",
        "pydantic_core",
        "aws_lambda_powertools",
        "jmespath",
    } <= top
    assert {"boto3", "botocore"} <= RUNTIME_PROVIDED


def test_arm64_layer_holds_arm64_extension_modules(dist: Path) -> None:
    with zipfile.ZipFile(dist / "layer-arm64.zip") as archive:
        modules = [name for name in archive.namelist() if name.endswith(".so")]
    assert modules
    assert all(name.endswith(".cpython-313-aarch64-linux-gnu.so") for name in modules), modules
