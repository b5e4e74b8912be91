"""How large an object one invocation can import: a measured rate times the time it has left.

The import is CPU-bound in the function, and Lambda gives a function CPU in proportion to its
memory (1,769 MB is one vCPU). A file that needs longer than the invocation has would time out
on every retry and end on the dead-letter queue; instead, an object whose size (GetObject's
ContentLength) is over the limit is refused before any row is read, with a failed report that
names the limit. docs/operations.md gives the figures and how to measure them again.
"""

from __future__ import annotations

from shared.settings import get_settings

# `python -m bench import` measured ~6.7 MB/s (the importer's CPU time at one core, rows of ~40
# bytes streamed from S3 into PostgreSQL, x86_64); rounded down for arm64's slower cores.
BYTES_PER_VCPU_SECOND = 4_000_000
MB_PER_VCPU = 1769
# Room for what the rate does not cover: a slower CPU or database, the COMMIT and the report.
HEADROOM = 0.75


def bytes_per_second() -> int:
    """The import rate this function can count on: by its memory in Lambda, one vCPU outside."""
    memory_mb = get_settings().function_memory_mb
    share = min(1.0, memory_mb / MB_PER_VCPU) if memory_mb else 1.0
    return int(BYTES_PER_VCPU_SECOND * share)


def max_bytes(rate: int, remaining_ms: int) -> int:
    """The largest object this invocation can import in the time it has left."""
    return int(rate * remaining_ms / 1000 * HEADROOM)


def refusal(size: int, rate: int, remaining_ms: int) -> str:
    """The failed report's reason for an object over the limit."""
    return (
        f"the object is {size:,} bytes: over the limit of {max_bytes(rate, remaining_ms):,} bytes"
        f" that this invocation can import in the {remaining_ms / 1000:.0f} s it has left, at"
        f" {rate:,} bytes/s; split the file, or give the function more memory and time"
        " (docs/operations.md)"
    )
