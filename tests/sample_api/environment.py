"""One Lambda-like execution environment in a process of its own (test_concurrency.py).

A module apart from the test: a spawned process imports the module of its target, and this
one imports only what an execution environment would (the handler), not pytest and fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Barrier
    from multiprocessing.synchronize import Event as EventType


def answer_once(event: dict[str, Any], ready: Barrier, go: EventType, results: Queue[Any]) -> None:
    """Cold-start the handler, say so, wait for the go, answer the event: its status, or why not."""
    try:
        from localcloud.context import LocalContext
        from sample_api.index import handler

        ready.wait()
        go.wait()
        results.put(handler(event, LocalContext(function_name="sample_api"))["statusCode"])
    except BaseException as exc:  # reported to the test, which fails on anything but a status
        results.put(repr(exc))
        ready.abort()
