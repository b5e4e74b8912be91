"""The executed check: each zip, with its layer, answers its sample events in a clean Python."""

from __future__ import annotations

import sys
import zipfile
from typing import TYPE_CHECKING

import pytest

import stackspec
from buildtools.execute import executed_check
from buildtools.interpreter import InterpreterNotFoundError, find_python
from buildtools.target import Target, host_arch
from stackspec.events import cases

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_s3 import S3Client


# The layer holds Linux (manylinux) binaries: it runs on Linux only (CI's ubuntu job, `make verify`
# on a Linux machine); a Mac's `make test` skips these two rather than fail on a foreign ELF.
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="runs Linux artifacts")


@linux_only
def test_every_function_runs_from_its_artifacts(
    dist: Path, server_url: str, s3_client: S3Client, tmp_path: Path
) -> None:
    problems = executed_check(
        dist, Target("python3.13", host_arch()), server_url, s3_client, tmp_path
    )
    assert problems == []


@linux_only
def test_a_layer_without_the_psycopg_binary_is_refused(
    dist: Path, server_url: str, s3_client: S3Client, tmp_path: Path
) -> None:
    # GIVEN a layer that lost psycopg's compiled implementation (the classic packaging slip)
    broken = tmp_path / "dist"
    broken.mkdir()
    arch = host_arch()
    for source in dist.iterdir():
        if source.name != f"layer-{arch}.zip":
            (broken / source.name).write_bytes(source.read_bytes())
    with (
        zipfile.ZipFile(dist / f"layer-{arch}.zip") as original,
        zipfile.ZipFile(broken / f"layer-{arch}.zip", "w") as copy,
    ):
        for info in original.infolist():
            if not info.filename.startswith("python/psycopg_binary"):
                data = original.read(info)
                info.compress_type = zipfile.ZIP_STORED  # quicker, and beside the point here
                copy.writestr(info, data)
    # WHEN the executed check runs (one function is enough: the one with the fewest cases)
    function = min(stackspec.functions(), key=lambda f: len(cases(f)))
    run = tmp_path / "run"
    run.mkdir()
    problems = executed_check(
        broken, Target("python3.13", arch), server_url, s3_client, run, functions=[function]
    )
    # THEN the function is refused for it, even if its handler still answered: psycopg fell
    # back to this machine's libpq (or failed to import), and Lambda has no libpq
    assert any(
        problem.startswith(f"{function.name}: psycopg runs its") and "not 'binary'" in problem
        for problem in problems
    ), problems


def test_a_missing_interpreter_fails_with_how_to_get_one() -> None:
    with pytest.raises(InterpreterNotFoundError, match=r"uv python install 3\.99"):
        find_python("3.99")
