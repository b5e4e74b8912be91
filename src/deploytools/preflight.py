"""Checks of the account before the first stack, for what would otherwise fail 15 minutes in.

Reserved concurrency is the first: Lambda refuses a reservation that would leave fewer than
100 executions unreserved, and new accounts may start with a quota of 10 or 50. The stage's
reservations are read from the templates, with the values the stacks will have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deploytools import cloudformation, template

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from deploytools.plan import DeployPlan, StackDeploy
    from deploytools.template import Template

# Lambda keeps at least this much of the account's concurrency unreserved.
UNRESERVED_MINIMUM = 100
QUOTA = "Service Quotas > AWS Lambda > Concurrent executions (L-B99A9384)"


class QuotaError(RuntimeError):
    """The account's Lambda concurrency cannot hold the stage's reservations."""


@dataclass(frozen=True)
class Reservation:
    """A function's reserved concurrency, and the template parameter that sets it, if any."""

    function: str
    concurrency: int
    parameter: str | None


def check_account(
    plan: DeployPlan,
    clients: dict[str, Any],
    read: Callable[[StackDeploy], str],
    say: Callable[[str], None],
) -> None:
    """Every check, with the parameter values the stacks will have; raises on the first failed."""
    cfn = clients["cloudformation"]
    stacks = []
    for step in plan.stacks:
        body = template.load(read(step))
        known = cloudformation.effective_parameters(cfn, step.stack_name, body, step.parameters)
        stacks.append((body, known))
    left = check_concurrency(clients["lambda"], reservations(stacks))
    say(f"lambda concurrency: {left} left unreserved after this stage's reservations")


def reservations(stacks: Iterable[tuple[Template, Mapping[str, str]]]) -> list[Reservation]:
    """Every reserved concurrency the templates declare, for the given parameter values."""
    found = []
    for body, parameters in stacks:
        for resource in template.resources(body, "AWS::Lambda::Function").values():
            properties = resource.get("Properties", {})
            value = properties.get("ReservedConcurrentExecutions")
            if value is None:
                continue
            name = template.evaluate(properties.get("FunctionName"), parameters)
            parameter = value.get("Ref") if isinstance(value, dict) else None
            found.append(
                Reservation(str(name), int(template.evaluate(value, parameters)), parameter)
            )
    return found


def check_concurrency(lambda_client: Any, wanted: list[Reservation]) -> int:
    """Raise QuotaError, saying what to request, unless the account can hold `wanted`.

    Returns the executions left unreserved afterwards. What the stage's functions reserve
    already (a redeploy) is counted as available to them.
    """
    account = lambda_client.get_account_settings()["AccountLimit"]
    limit = int(account["ConcurrentExecutions"])
    unreserved = int(account["UnreservedConcurrentExecutions"])
    held = sum(_reserved_now(lambda_client, r.function) for r in wanted)
    total = sum(r.concurrency for r in wanted)
    left = unreserved + held - total
    if left >= UNRESERVED_MINIMUM:
        return left
    shortfall = UNRESERVED_MINIMUM - left
    each = ", ".join(f"{r.function} {r.concurrency}" for r in wanted)
    knobs = sorted({r.parameter for r in wanted if r.parameter})
    raise QuotaError(
        f"Lambda concurrency: this stage reserves {total} ({each}); the account's quota of "
        f"{limit} leaves {unreserved + held} for it, and Lambda keeps {UNRESERVED_MINIMUM} "
        f"unreserved. Request a quota of at least {limit + shortfall} (1000 is the usual "
        f"default) in {QUOTA}, or lower {' or '.join(knobs) or 'the reservations'}."
    )


def _reserved_now(lambda_client: Any, function: str) -> int:
    from botocore.exceptions import ClientError

    try:
        answer = lambda_client.get_function_concurrency(FunctionName=function)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return 0
        raise
    return int(answer.get("ReservedConcurrentExecutions", 0))
