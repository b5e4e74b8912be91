"""A small ELF reader: what the checks need from a shared object, and nothing more.

Lambda runs 64-bit little-endian Linux only, so that is the one layout read here; anything
else is reported as such rather than parsed.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAGIC = b"\x7fELF"
_HEADER = struct.Struct("<16sHHIQQQIHHHHHH")
_SECTION = struct.Struct("<IIQQQQIIQQ")
_DYNAMIC_ENTRY = struct.Struct("<qQ")
_VERNEED = struct.Struct("<HHIII")
_VERNAUX = struct.Struct("<IHHII")
_SHT_DYNAMIC = 6
_SHT_GNU_VERNEED = 0x6FFFFFFE
_DT_NEEDED = 1
_DT_SONAME = 14


class ElfError(ValueError):
    """The bytes are not an ELF file this reader understands."""


@dataclass(frozen=True)
class ElfInfo:
    """The machine, dynamic dependencies and required symbol versions of one ELF file."""

    machine: int
    soname: str | None
    needed: tuple[str, ...]
    versions: tuple[str, ...]  # e.g. GLIBC_2.17, GLIBCXX_3.4.21


def is_elf(data: bytes) -> bool:
    return data[:4] == MAGIC


def read_elf(data: bytes) -> ElfInfo:
    """Parse the header, .dynamic and .gnu.version_r of a 64-bit little-endian ELF file."""
    if not is_elf(data):
        raise ElfError("not an ELF file")
    if data[4] != 2 or data[5] != 1:
        raise ElfError("not a 64-bit little-endian ELF file (Lambda runs only those)")
    try:
        return _parse(data)
    except (struct.error, IndexError) as error:
        raise ElfError(f"truncated or malformed ELF file ({error})") from None


def _parse(data: bytes) -> ElfInfo:
    header = _HEADER.unpack_from(data, 0)
    machine, shoff, shentsize, shnum = header[2], header[6], header[11], header[12]
    sections = [_SECTION.unpack_from(data, shoff + index * shentsize) for index in range(shnum)]
    soname: str | None = None
    needed: list[str] = []
    versions: list[str] = []
    for _name, kind, _flags, _addr, offset, size, link, info, _align, _entsize in sections:
        if kind == _SHT_DYNAMIC:
            strings = sections[link]
            for tag, value in _dynamic_entries(data, offset, size):
                if tag == _DT_NEEDED:
                    needed.append(_string(data, strings, value))
                elif tag == _DT_SONAME:
                    soname = _string(data, strings, value)
        elif kind == _SHT_GNU_VERNEED:
            versions.extend(_required_versions(data, offset, info, sections[link]))
    return ElfInfo(machine, soname, tuple(needed), tuple(versions))


def _dynamic_entries(data: bytes, offset: int, size: int) -> list[tuple[int, int]]:
    entries = []
    for position in range(offset, offset + size, _DYNAMIC_ENTRY.size):
        tag, value = _DYNAMIC_ENTRY.unpack_from(data, position)
        if tag == 0:  # DT_NULL ends the table
            break
        entries.append((tag, value))
    return entries


def _required_versions(data: bytes, offset: int, count: int, strings: tuple[int, ...]) -> list[str]:
    names = []
    position = offset
    for _ in range(count):
        _version, aux_count, _file, aux_offset, next_offset = _VERNEED.unpack_from(data, position)
        aux_position = position + aux_offset
        for _ in range(aux_count):
            _hash, _flags, _other, name, aux_next = _VERNAUX.unpack_from(data, aux_position)
            names.append(_string(data, strings, name))
            aux_position += aux_next
        position += next_offset
    return names


def _string(data: bytes, table: tuple[int, ...], index: int) -> str:
    start = table[4] + index
    end = data.index(b"\0", start)
    return data[start:end].decode("ascii", "replace")
