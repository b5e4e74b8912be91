"""Deterministic zips: same tree, same bytes, whatever the files' times and modes."""

from __future__ import annotations

import os
import zipfile
from typing import TYPE_CHECKING

from buildtools.zips import write_zip

if TYPE_CHECKING:
    from pathlib import Path


def _tree(root: Path) -> None:
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("x = 1\n")
    (root / "pkg" / "sub" / "b.py").write_text("y = 2\n")
    (root / "a.txt").write_text("a\n")


def test_zip_bytes_ignore_file_times_modes_and_creation_order(tmp_path: Path) -> None:
    # GIVEN the same files, created in another order with other times and permissions
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    _tree(first)
    (second / "a.txt").write_text("a\n")
    (second / "pkg" / "sub").mkdir(parents=True)
    (second / "pkg" / "sub" / "b.py").write_text("y = 2\n")
    (second / "pkg" / "__init__.py").write_text("x = 1\n")
    for path in (second / "a.txt", second / "pkg" / "__init__.py"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
        path.chmod(0o600)
    # WHEN both are zipped
    write_zip(first, tmp_path / "first.zip")
    write_zip(second, tmp_path / "second.zip")
    # THEN the archives are byte-identical
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()


def test_zip_entries_are_sorted_with_fixed_time_and_mode(tmp_path: Path) -> None:
    _tree(tmp_path / "tree")
    write_zip(tmp_path / "tree", tmp_path / "out.zip")
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names) == ["a.txt", "pkg/__init__.py", "pkg/sub/b.py"]
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
