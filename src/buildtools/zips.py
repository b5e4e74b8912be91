"""Deterministic zips: the same tree always gives the same bytes."""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

# The earliest timestamp a zip can hold; any fixed value would do.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o100644  # regular file, rw-r--r--: Lambda only needs to read (and dlopen) files
_UNIX = 3


def write_zip(root: Path, destination: Path) -> None:
    """Zip every file under root (paths relative to it), sorted, with fixed times and modes."""
    files = sorted(
        (path for path in root.rglob("*") if path.is_file()),
        key=lambda path: path.relative_to(root).as_posix(),
    )
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=_EPOCH)
            info.create_system = _UNIX
            info.external_attr = _FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(destination)


def unzipped_size(archive_path: Path) -> int:
    """The bytes the archive's files take once extracted."""
    with zipfile.ZipFile(archive_path) as archive:
        return sum(info.file_size for info in archive.infolist())


def describe(archive_path: Path) -> str:
    """One line with the zipped and unzipped sizes, for the build scripts' output."""
    zipped = archive_path.stat().st_size
    return (
        f"{archive_path}: {_megabytes(zipped)} zipped, "
        f"{_megabytes(unzipped_size(archive_path))} unzipped"
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.2f} MB"
