"""The functions the benchmarks measure, found in the declaration by what triggers them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from stackspec import ApiTrigger, QueueTrigger, StreamTrigger, functions

if TYPE_CHECKING:
    from collections.abc import Callable

    from stackspec import Function


def api_function() -> Function:
    """The function API Gateway invokes."""
    for function in functions():
        if function.trigger(ApiTrigger):
            return function
    raise LookupError("no function with an API trigger in deploy/cloudformation/")


def import_function() -> Function:
    """The function a bucket's new objects reach through a queue."""
    for function in functions():
        if any(isinstance(t, QueueTrigger) and t.source for t in function.triggers):
            return function
    raise LookupError("no function fed by a bucket's queue in deploy/cloudformation/")


def stream_function() -> Function:
    """The function a DynamoDB stream feeds."""
    for function in functions():
        if function.trigger(StreamTrigger):
            return function
    raise LookupError("no function with a DynamoDB stream trigger in deploy/cloudformation/")


def handler_of(function: Function) -> Callable[..., Any]:
    """The function's handler, imported (with src/ on sys.path)."""
    module, _, attribute = function.handler.rpartition(".")
    handler: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
    return handler
