"""A function in a process of its own: runs elsewhere, survives its process dying, stops."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from localcloud.isolated import ProcessHost

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

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


@pytest.fixture
def host(function_package: Callable[[str], FunctionHost]) -> Iterator[ProcessHost]:
    """PID_HANDLER in a process of its own, stopped after the test."""
    plain = function_package(PID_HANDLER)
    process_host = ProcessHost(plain.name, plain.handler, plain.watch, plain.env)
    yield process_host
    process_host.unload()


def test_invocations_run_in_one_child_process(host: ProcessHost) -> None:
    first, second = host.invoke({}), host.invoke({})
    assert first.error is None and first.result["pid"] != os.getpid()
    assert first.result == second.result == {"pid": first.result["pid"], "function": host.name}
    assert first.cold and not second.cold


def test_handler_error_comes_back_as_the_invocation_error(host: ProcessHost) -> None:
    invocation = host.invoke({"raise": True})
    assert isinstance(invocation.error, ValueError)
    assert str(invocation.error) == "bad event"


def test_a_dead_process_fails_its_invocation_and_the_next_one_starts_anew(
    host: ProcessHost,
) -> None:
    before = host.invoke({}).result["pid"]
    died = host.invoke({"exit": True})
    after = host.invoke({})
    assert isinstance(died.error, RuntimeError) and died.result is None
    assert after.error is None and after.cold and after.result["pid"] != before


def test_unload_stops_the_child(host: ProcessHost) -> None:
    pid = host.invoke({}).result["pid"]
    host.unload()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    raise AssertionError(f"process {pid} still runs after unload")


def test_the_functions_variables_are_its_process_variables_at_call_time(
    function_package: Callable[..., FunctionHost],
) -> None:
    # GIVEN a handler that reads a variable when called, not when imported (as code of `shared`
    # imported lazily does)
    plain = function_package(
        "def handler(event, context):\n    import os\n    return os.environ.get('ONLY_MINE')\n",
        {"ONLY_MINE": "mine"},
    )
    process_host = ProcessHost(plain.name, plain.handler, plain.watch, plain.env)
    try:
        # WHEN it runs in a process of its own THEN it sees its variable, as in Lambda
        assert process_host.invoke({}).result == "mine"
    finally:
        process_host.unload()
    assert "ONLY_MINE" not in os.environ
