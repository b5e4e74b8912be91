"""`make dev DEBUG=1`: debugpy in the local cloud, for an editor to attach to (README, "Debugging").

Imported only when DEBUG=1, so that without it nothing of debugpy is loaded.

The API functions run in this process. The others run in processes of their own
(localcloud.isolated), started by multiprocessing when their first event comes. debugpy follows
them with its subprocess support rather than by a port of their own: each such process connects
back to the adapter `listen` started, and the editor attached here is told of it and attaches
to it too, with the same breakpoints, whenever it starts (before the editor attached, too). So one
port and one attach configuration reach every function, whichever processes the declaration
gives them; a port per process would need one attach configuration per function.

A process announced while an editor is attached waits for it to attach: VS Code does at once,
but a DAP client that ignores debugpy's `debugpyAttach` event leaves that function waiting (and
make dev stops it after localcloud.isolated.STOP_SECONDS).
"""

from __future__ import annotations

import os

HOST = "127.0.0.1"  # never beyond this machine: whoever reaches the port runs code here


def listen(port: int) -> str:
    """Start debugpy's adapter on HOST:port, without waiting for a client; its address."""
    # pydevd warns, in each process, that breakpoints in the standard library's frozen modules
    # may be missed; ours are in src/. Set before the import, for the subprocesses too.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # multiprocessing's resource tracker, a process of its own, starts before debugpy patches
    # how processes start, so that it runs undebugged: debugged, it would wait for the editor to
    # attach to it too, and when none did, outlive make dev (it ignores SIGTERM), keeping the
    # adapter and its port.
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    import debugpy

    debugpy.configure(subProcess=True)  # the default, relied upon above
    host, bound = debugpy.listen((HOST, port))
    return f"{host}:{bound}"


def how_to_attach(address: str) -> str:
    """The console line that says where the debugger listens and how to attach to it."""
    return (
        f'debugger: debugpy listens on {address}; attach with VS Code\'s "attach to make dev" '
        "(.vscode/launch.json) or any DAP client (request attach, connect to that address); "
        "each function's own process follows as a subprocess"
    )
