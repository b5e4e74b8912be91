"""Function zips: only their package and shared, precompiled, reproducible."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from buildtools.app import build_function
from buildtools.target import Target


def _top_level(archive_path: Path) -> set[str]:
    with zipfile.ZipFile(archive_path) as archive:
        return {PurePosixPath(name).parts[0] for name in archive.namelist()}


def test_function_zip_holds_only_its_package_and_shared(dist: Path) -> None:
    assert _top_level(dist / "sample_api.zip") == {"sample_api", "shared"}
    assert _top_level(dist / "sample_event.zip") == {"sample_event", "shared"}


def test_migrator_zip_carries_its_sql_and_yoyo(dist: Path) -> None:
    with zipfile.ZipFile(dist / "migrator.zip") as archive:
        names = set(archive.namelist())
    sql = {name for name in names if name.startswith("migrator/migrations/")}
    assert {PurePosixPath(name).name for name in sql} == {
        path.name for path in (Path(__file__).parents[2] / "migrations").glob("*.sql")
    }
    assert "yoyo/__init__.py" in names
    assert not any(name.startswith(("psycopg", "localcloud", "tests/")) for name in names)


def test_every_module_has_unchecked_hash_bytecode_for_the_runtime(dist: Path) -> None:
    with zipfile.ZipFile(dist / "sample_api.zip") as archive:
        names = set(archive.namelist())
        modules = [name for name in names if name.endswith(".py")]
        for module in modules:
            path = PurePosixPath(module)
            pyc = f"{path.parent}/__pycache__/{path.stem}.cpython-313.pyc"
            assert pyc in names, f"{module} has no bytecode"
            # flags word 0b01: hash-based and unchecked, so Lambda never looks at mtimes
            assert archive.read(pyc)[4:8] == b"\x01\x00\x00\x00", pyc
    assert modules


def test_function_zip_is_byte_identical_across_builds(
    tmp_path: Path, python313: Path, dist: Path
) -> None:
    rebuilt = build_function("sample_event", Target("python3.13", "arm64"), tmp_path, python313)
    assert rebuilt.read_bytes() == (dist / "sample_event.zip").read_bytes()
