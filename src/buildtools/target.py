"""What the artifacts are built for: a Lambda runtime and a CPU architecture."""

from __future__ import annotations

import platform
from dataclasses import dataclass

# Amazon Linux release (and so glibc) under each Lambda Python runtime we build for.
_RUNTIME_GLIBC = {
    "python3.12": (2, 34),
    "python3.13": (2, 34),
    "python3.14": (2, 34),
}
# Lambda's architecture name -> (ELF e_machine, GNU triplet CPU, wheel platform CPU).
_ARCHITECTURES = {
    "x86_64": (62, "x86_64"),
    "arm64": (183, "aarch64"),
}
ARCHITECTURES = tuple(_ARCHITECTURES)


@dataclass(frozen=True)
class Target:
    """One runtime on one architecture, with the names each tool uses for it."""

    runtime: str
    arch: str

    def __post_init__(self) -> None:
        if self.runtime not in _RUNTIME_GLIBC:
            raise ValueError(f"unknown runtime {self.runtime!r}; known: {sorted(_RUNTIME_GLIBC)}")
        if self.arch not in _ARCHITECTURES:
            raise ValueError(f"unknown architecture {self.arch!r}; known: {ARCHITECTURES}")

    @property
    def python_version(self) -> str:
        """ "3.13" for python3.13."""
        return self.runtime.removeprefix("python")

    @property
    def abi(self) -> str:
        """The CPython ABI tag, e.g. cp313."""
        return "cp" + self.python_version.replace(".", "")

    @property
    def glibc(self) -> tuple[int, int]:
        return _RUNTIME_GLIBC[self.runtime]

    @property
    def elf_machine(self) -> int:
        return _ARCHITECTURES[self.arch][0]

    @property
    def cpu(self) -> str:
        """The CPU name in wheel tags and GNU triplets: x86_64 or aarch64."""
        return _ARCHITECTURES[self.arch][1]

    @property
    def uv_platform(self) -> str:
        """uv's --python-platform: manylinux up to the runtime's glibc (older tags included)."""
        major, minor = self.glibc
        return f"{self.cpu}-manylinux_{major}_{minor}"

    @property
    def extension_suffix(self) -> str:
        """The ABI-specific suffix of extension modules, e.g. .cpython-313-aarch64-linux-gnu.so."""
        return f".cpython-{self.abi[2:]}-{self.cpu}-linux-gnu.so"


def host_arch() -> str:
    """This machine's architecture, in Lambda's naming."""
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
