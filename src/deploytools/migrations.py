"""The deploy's call to the migrations function: one attempt, awaited as long as it may run.

botocore's defaults (a 60 s read timeout, then retries) would give up on a migration waiting
on locks and invoke it again; the second run queues behind the first (reserved concurrency 1)
and the deploy dies with a ReadTimeoutError before the last stack.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from deploytools import template

if TYPE_CHECKING:
    from botocore.config import Config

    from deploytools.plan import DeployPlan

# Lambda answers at the latest when the function times out; this covers the round trip.
_MARGIN_SECONDS = 30
# Lambda's default when a template sets no Timeout.
_DEFAULT_TIMEOUT = 3


def function_timeout(plan: DeployPlan, function_name: str) -> int:
    """The Timeout that the plan's templates give the function named `function_name`."""
    for step in plan.stacks:
        body = template.load(step.template.read_text(encoding="utf-8"))
        parameters = {**template.defaults(body), **step.parameters}
        for resource in template.resources(body, "AWS::Lambda::Function").values():
            properties = resource.get("Properties", {})
            if template.evaluate(properties.get("FunctionName"), parameters) == function_name:
                return int(
                    template.evaluate(properties.get("Timeout", _DEFAULT_TIMEOUT), parameters)
                )
    raise LookupError(f"no template of the plan declares the function {function_name}")


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


def run(lambda_client: Any, function_name: str) -> list[str]:
    """Invoke the migrations function and wait; raises with its error if it failed."""
    response = lambda_client.invoke(FunctionName=function_name, Payload=b"{}")
    payload = json.loads(response["Payload"].read() or b"null")
    if response.get("FunctionError"):
        raise RuntimeError(f"migrations failed: {payload}")
    return list(payload.get("applied", []))
