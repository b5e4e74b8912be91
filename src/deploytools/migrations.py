"""The deploy's call to an InvokeOnDeploy function (migrations): one attempt, awaited enough.

botocore's defaults (a 60 s read timeout, then retries) would give up on a migration waiting
on locks and invoke it again; the second run queues behind the first (reserved concurrency 1)
and the deploy dies with a ReadTimeoutError before the last stack.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.config import Config

# Lambda answers at the latest when the function times out; this covers the round trip.
_MARGIN_SECONDS = 30


def invoke_config(timeout: int) -> Config:
    """Wait past the function's own timeout; never invoke it a second time."""
    from botocore.config import Config

    return Config(
        read_timeout=timeout + _MARGIN_SECONDS,
        connect_timeout=10,
        retries={"total_max_attempts": 1},
        tcp_keepalive=True,
    )


def client(session: Any, timeout: int) -> Any:
    """A Lambda client for a synchronous invocation of a function with that timeout."""
    return session.client("lambda", config=invoke_config(timeout))


def run(lambda_client: Any, function_name: str) -> Any:
    """Invoke the function once and wait; returns its answer, raises with its error if it failed."""
    response = lambda_client.invoke(FunctionName=function_name, Payload=b"{}")
    payload = json.loads(response["Payload"].read() or b"null")
    if response.get("FunctionError"):
        raise RuntimeError(f"{function_name} failed: {payload}")
    return payload
