"""Function zips, as the templates declare them: their packages, bundled folders and groups."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

import stackspec
from buildtools import requirements
from buildtools.app import build_function
from buildtools.target import Target
from stackspec.model import ROOT

FUNCTIONS = stackspec.functions()


def _names(archive_path: Path) -> set[str]:
    with zipfile.ZipFile(archive_path) as archive:
        return set(archive.namelist())


def _top_level(archive_path: Path) -> set[str]:
    return {PurePosixPath(name).parts[0] for name in _names(archive_path)}


def test_every_zip_holds_its_packages_and_no_other_package_of_src(dist: Path) -> None:
    packages = {path.name for path in (ROOT / "src").iterdir() if path.is_dir()}
    for function in FUNCTIONS:
        top = _top_level(dist / function.artifact)
        assert top & packages == set(function.packages), function.name
        if not function.bundle and not function.requirements:
            assert top == set(function.packages), function.name


def test_a_zip_carries_the_folders_its_template_bundles_where_it_says(dist: Path) -> None:
    bundling = [function for function in FUNCTIONS if function.bundle]
    assert bundling, "the migrations function bundles migrations/"
    for function in bundling:
        names = _names(dist / function.artifact)
        for folder, place in function.bundle.items():
            files = {
                path.relative_to(ROOT / folder).as_posix()
                for path in (ROOT / folder).rglob("*")
                if path.is_file() and "__pycache__" not in path.parts
            }
            shipped = {name.removeprefix(f"{place}/") for name in names if name.startswith(place)}
            assert files and files <= shipped, (function.name, folder)


def test_a_zip_carries_the_dependency_groups_its_template_names(dist: Path) -> None:
    grouped = [function for function in FUNCTIONS if function.requirements]
    assert grouped, "the migrations function ships the migrate group (yoyo)"
    for function in grouped:
        installed = {
            f"{requirements.name_of(distribution)}=={version}"
            for top in _top_level(dist / function.artifact)
            if top.endswith(".dist-info")
            for distribution, version in [top.removesuffix(".dist-info").rsplit("-", 1)]
        }
        for group in function.requirements:
            for line in requirements.export(ROOT, group=group):
                pin = line.split(";")[0].strip()
                assert f"{requirements.name_of(pin)}=={pin.split('==')[1]}" in installed, line


def test_every_module_has_unchecked_hash_bytecode_for_the_runtime(dist: Path) -> None:
    for function in FUNCTIONS:
        with zipfile.ZipFile(dist / function.artifact) as archive:
            names = set(archive.namelist())
            modules = [name for name in names if name.endswith(".py")]
            for module in modules:
                path = PurePosixPath(module)
                pyc = f"{path.parent}/__pycache__/{path.stem}.cpython-313.pyc"
                assert pyc in names, f"{module} has no bytecode"
                # flags word 0b01: hash-based and unchecked, so Lambda never looks at mtimes
                assert archive.read(pyc)[4:8] == b"\x01\x00\x00\x00", pyc
        assert modules, function.name


def test_function_zip_is_byte_identical_across_builds(
    tmp_path: Path, python313: Path, dist: Path
) -> None:
    # The one that installs a dependency group, if any: pip's files must not vary either.
    function = next((f for f in FUNCTIONS if f.requirements), FUNCTIONS[0])
    rebuilt = build_function(function, Target("python3.13", "arm64"), tmp_path, python313)
    assert rebuilt.read_bytes() == (dist / function.artifact).read_bytes()
