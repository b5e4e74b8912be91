"""Execution environments in one process: isolation of `shared`, import errors, cold starts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from localcloud.functions import FunctionHost

# Reports the settings and the logger its own copy of `shared` holds.
SETTINGS_HANDLER = """
from shared.log import get_logger
from shared.settings import get_settings

def handler(event, context):
    return {"service": get_settings().service_name, "logger": get_logger().service}
"""


def test_each_function_has_its_own_settings_and_logger(
    function_package: Callable[..., FunctionHost],
) -> None:
    # GIVEN two functions in one process, each with its own service name
    common = {"DATABASE_URL": "postgresql://localhost/unused"}
    first = function_package(SETTINGS_HANDLER, {**common, "POWERTOOLS_SERVICE_NAME": "first"})
    second = function_package(SETTINGS_HANDLER, {**common, "POWERTOOLS_SERVICE_NAME": "second"})
    # WHEN both run, interleaved
    results = [first.invoke({}).result, second.invoke({}).result, first.invoke({}).result]
    # THEN each keeps its own, as in two Lambda execution environments
    assert results == [
        {"service": "first", "logger": "first"},
        {"service": "second", "logger": "second"},
        {"service": "first", "logger": "first"},
    ]


def test_function_env_does_not_leak_into_the_process(
    function_package: Callable[..., FunctionHost],
) -> None:
    import os

    host = function_package("def handler(event, context):\n    return 1\n", {"ONLY_MINE": "x"})
    assert host.invoke({}).result == 1
    assert "ONLY_MINE" not in os.environ


def test_import_error_is_reported_as_a_failed_invocation(
    function_package: Callable[..., FunctionHost],
) -> None:
    host = function_package("import no_such_module_here\n")
    invocation = host.invoke({})
    assert isinstance(invocation.error, ModuleNotFoundError)
    assert invocation.result is None


def test_first_invocation_is_cold_and_reports_init_time(
    function_package: Callable[..., FunctionHost],
) -> None:
    host = function_package("def handler(event, context):\n    return context.function_name\n")
    first, second = host.invoke({}), host.invoke({})
    assert first.cold and first.init_ms is not None and first.init_ms >= 0
    assert not second.cold
    assert second.result == host.name


def test_loading_a_function_leaves_the_process_copy_of_shared_in_place(
    function_package: Callable[..., FunctionHost],
) -> None:
    import sys

    import shared.errors

    env = {"DATABASE_URL": "postgresql://localhost/unused"}
    host = function_package(SETTINGS_HANDLER, env)
    assert host.invoke({}).error is None
    assert sys.modules["shared.errors"] is shared.errors


def test_loading_a_function_while_another_thread_imports_modules_does_not_fail(
    function_package: Callable[..., FunctionHost],
) -> None:
    import sys
    import threading
    import types

    # GIVEN another thread adding and removing modules all the time (as `make dev` imports
    # the S3 emulator while the migrations function loads)
    host = function_package("def handler(event, context):\n    return 1\n")
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            for number in range(50):
                sys.modules[f"churn_{number}"] = types.ModuleType(f"churn_{number}")
            for number in range(50):
                sys.modules.pop(f"churn_{number}", None)

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    thread = threading.Thread(target=churn, daemon=True)
    thread.start()
    try:
        # WHEN the function is loaded afresh many times
        errors = []
        for _ in range(100):
            host.unload()
            errors.append(host.invoke({}).error)
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(switch)
    # THEN every load succeeded
    assert errors == [None] * 100
