"""A function in a process of its own, as Lambda gives each function its own environment.

The importer runs a long, CPU-bound Python loop. In the gateway's process it would hold the
GIL against every API request, a contention Lambda never has (each function runs in its own
microVM), so the local API would look slower during an import than it is. The child is
started on first use with the environment the stack has set by then, runs one invocation at
a time like an execution environment, and reloads changed code itself (FunctionHost does).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle  # nosec B403 - only a round trip of our own objects (_portable)
import signal
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from localcloud.functions import FunctionHost, Invocation

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

STOP_SECONDS = 5.0


@dataclass
class ProcessHost(FunctionHost):
    """A FunctionHost whose invocations run in a child process (spawned: no inherited threads)."""

    _child: BaseProcess | None = field(default=None, init=False, repr=False)
    _pipe: Connection | None = field(default=None, init=False, repr=False)

    def invoke(self, event: Any) -> Invocation:
        with self._lock:
            pipe = self._pipe
            if pipe is None or self._child is None or not self._child.is_alive():
                pipe = self._start()
            try:
                pipe.send(event)
                invocation: Invocation = pipe.recv()
                return invocation
            except (EOFError, OSError) as exc:  # the environment died mid-invocation
                self._reap()
                error = RuntimeError(f"{self.name}'s process exited during the invocation")
                error.__cause__ = exc
                return Invocation(None, error, 0.0, None)

    def unload(self) -> None:
        """Stop the child: it finishes the invocation it runs, if it can within STOP_SECONDS."""
        if self._child is not None and self._pipe is not None:
            try:
                self._pipe.send(None)
            except OSError:
                pass
            self._child.join(STOP_SECONDS)
        self._reap()

    def _start(self) -> Connection:
        self._reap()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        spec = (
            self.name,
            self.handler,
            self.watch,
            dict(self.env),
            self.timeout_seconds,
            self.memory_mb,
        )
        self._child = context.Process(
            target=_serve, args=(spec, child), name=f"{self.name}-environment", daemon=True
        )
        self._child.start()
        child.close()
        self._pipe = parent
        return parent

    def _reap(self) -> None:
        if self._child is not None and self._child.is_alive():
            self._child.terminate()
            self._child.join(STOP_SECONDS)
        if self._pipe is not None:
            self._pipe.close()
        self._child, self._pipe = None, None


def _serve(spec: tuple[Any, ...], pipe: Connection) -> None:
    """The child's loop: one event in, one Invocation out, until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group: the parent stops us
    host = FunctionHost(*spec)
    # The process is this function's alone, as in Lambda: its variables are the process's, so
    # what it imports lazily at call time (a module of `shared`) reads them too.
    os.environ.update(host.env)
    try:
        while (event := pipe.recv()) is not None:
            pipe.send(_portable(host.invoke(event)))
    except (EOFError, OSError):
        pass  # the parent went away
    finally:
        host.unload()


def _portable(invocation: Invocation) -> Invocation:
    """The invocation, with an error the parent can unpickle (some exceptions cannot travel)."""
    try:
        # Loads only the bytes it has just dumped: a round trip to test, no outside data.
        pickle.loads(pickle.dumps(invocation))  # noqa: S301  # nosec B301
        return invocation
    except Exception:
        error = invocation.error
        what = f"{type(error).__name__}: {error}" if error else "its result cannot be pickled"
        summary = RuntimeError(what)
        return Invocation(
            None, summary, invocation.duration_ms, invocation.init_ms, invocation.failures
        )
