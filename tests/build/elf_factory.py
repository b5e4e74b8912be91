"""Tiny, hand-made ELF shared objects: just the parts the artifact checks read."""

from __future__ import annotations

import struct

EM_X86_64 = 62
EM_AARCH64 = 183


def shared_object(
    machine: int = EM_X86_64,
    needed: tuple[str, ...] = ("libc.so.6",),
    glibc: tuple[str, ...] = ("GLIBC_2.17",),
) -> bytes:
    """A 64-bit little-endian ELF with .dynstr, .dynamic (DT_NEEDED) and .gnu.version_r."""
    strings = b"\0"
    offsets: dict[str, int] = {}
    for name in (*needed, "libc.so.6", *glibc):
        if name not in offsets:
            offsets[name] = len(strings)
            strings += name.encode() + b"\0"
    dynamic = b"".join(struct.pack("<qQ", 1, offsets[name]) for name in needed)
    dynamic += struct.pack("<qQ", 0, 0)
    verneed = struct.pack("<HHIII", 1, len(glibc), offsets["libc.so.6"], 16, 0)
    for index, version in enumerate(glibc):
        last = index == len(glibc) - 1
        verneed += struct.pack("<IHHII", 0, 0, index + 2, offsets[version], 0 if last else 16)
    strings_at = 64
    dynamic_at = strings_at + len(strings)
    verneed_at = dynamic_at + len(dynamic)
    sections_at = verneed_at + len(verneed)
    sections = [
        struct.pack("<IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        struct.pack("<IIQQQQIIQQ", 0, 3, 0, 0, strings_at, len(strings), 0, 0, 1, 0),
        struct.pack("<IIQQQQIIQQ", 0, 6, 0, 0, dynamic_at, len(dynamic), 1, 0, 8, 16),
        struct.pack("<IIQQQQIIQQ", 0, 0x6FFFFFFE, 0, 0, verneed_at, len(verneed), 1, 1, 4, 0),
    ]
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    header = struct.pack(
        "<16sHHIQQQIHHHHHH", ident, 3, machine, 1, 0, 0, sections_at, 0, 64, 56, 0, 64, 4, 0
    )
    return header + strings + dynamic + verneed + b"".join(sections)
