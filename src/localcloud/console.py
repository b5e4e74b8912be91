"""The console of the local cloud: one short line per event worth seeing, flushed at once."""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from localcloud.functions import Invocation

_LOCK = threading.Lock()


def say(message: str) -> None:
    """Print one line, whole, even when several threads talk at once."""
    with _LOCK:
        sys.stdout.write(f"{time.strftime('%H:%M:%S')} {message}\n")
        sys.stdout.flush()


def invocation_line(function: str, event: str, status: str, invocation: Invocation) -> None:
    """The line every invocation prints: function, event, status, duration, cold or warm."""
    start = f"cold (init {invocation.init_ms:.0f} ms)" if invocation.init_ms is not None else "warm"
    say(f"{function:<13} {event:<40} {status:<7} {invocation.duration_ms:8.1f} ms  {start}")
