"""A function in a process of its own: runs elsewhere, survives its process dying, stops."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from localcloud.isolated import ProcessHost

if TYPE_CHECKING:
    from collections.abc import Callable

    from localcloud.functions import FunctionHost

# Answers with its process id; exits its process abruptly when asked to.
PID_HANDLER = """
import os

def handler(event, context):
    if event.get("exit"):
        os._exit(3)
    if event.get("raise"):
        raise ValueError("bad event")
    return {"pid": os.getpid(), "function": context.function_name}
"""


def _process_host(function_package: Callable[[str], FunctionHost]) -> ProcessHost:
    plain = function_package(PID_HANDLER)
    return ProcessHost(plain.name, plain.handler, plain.watch, plain.env)


def test_invocations_run_in_one_child_process(
    function_package: Callable[[str], FunctionHost],
) -> None:
    host = _process_host(function_package)
    try:
        first, second = host.invoke({}), host.invoke({})
        assert first.error is None and first.result["pid"] != os.getpid()
        assert first.result == second.result == {"pid": first.result["pid"], "function": host.name}
        assert first.cold and not second.cold
    finally:
        host.unload()


def test_handler_error_comes_back_as_the_invocation_error(
    function_package: Callable[[str], FunctionHost],
) -> None:
    host = _process_host(function_package)
    try:
        invocation = host.invoke({"raise": True})
        assert isinstance(invocation.error, ValueError)
        assert str(invocation.error) == "bad event"
    finally:
        host.unload()


def test_a_dead_process_fails_its_invocation_and_the_next_one_starts_anew(
    function_package: Callable[[str], FunctionHost],
) -> None:
    host = _process_host(function_package)
    try:
        before = host.invoke({}).result["pid"]
        died = host.invoke({"exit": True})
        after = host.invoke({})
        assert isinstance(died.error, RuntimeError) and died.result is None
        assert after.error is None and after.cold and after.result["pid"] != before
    finally:
        host.unload()


def test_unload_stops_the_child(function_package: Callable[[str], FunctionHost]) -> None:
    host = _process_host(function_package)
    pid = host.invoke({}).result["pid"]
    host.unload()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    raise AssertionError(f"process {pid} still runs after unload")
