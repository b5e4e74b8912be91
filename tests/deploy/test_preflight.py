"""The account checks before the first stack: Lambda's concurrency quota (stubbed: moto has no
GetAccountSettings)."""

from __future__ import annotations

from typing import Any

import pytest

import stackspec
from deploytools import preflight, template
from deploytools.plan import Config, deploy_plan
from tests.deploy.stagefiles import settings
from tests.deploy.templates import NAMES, functions, load


def stubbed_lambda(limit: int, unreserved: int, held: dict[str, int] | None = None) -> Any:
    """A real botocore client whose answers are given: the account's limits, then for each
    function its reservation (or ResourceNotFoundException: not deployed yet)."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client(
        "lambda",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",  # noqa: S106 - not a secret
    )
    stubber = Stubber(client)
    stubber.add_response(
        "get_account_settings",
        {
            "AccountLimit": {
                "ConcurrentExecutions": limit,
                "UnreservedConcurrentExecutions": unreserved,
            }
        },
    )
    for reservation in default_reservations():
        if held and reservation.function in held:
            answer = {"ReservedConcurrentExecutions": held[reservation.function]}
            stubber.add_response("get_function_concurrency", answer)
        else:
            stubber.add_client_error(
                "get_function_concurrency", "ResourceNotFoundException", http_status_code=404
            )
    stubber.activate()
    return client


def default_reservations(**overrides: str) -> list[preflight.Reservation]:
    plan = deploy_plan(Config("dev"), settings())
    stacks = []
    for step in plan.stacks:
        body = template.load(step.template.read_text())
        stacks.append((body, {**template.defaults(body), **step.parameters, **overrides}))
    return preflight.reservations(stacks)


API = next(f for f in stackspec.functions() if f.trigger(stackspec.ApiTrigger))
RESERVING = [
    f
    for f in stackspec.functions()
    if "ReservedConcurrentExecutions" in functions()[f.logical_id]["Properties"]
]


def declared_total() -> int:
    """The reservations as the templates write them (a number, or a parameter's default)."""
    total = 0
    for function in functions().values():
        value = function["Properties"].get("ReservedConcurrentExecutions")
        if isinstance(value, dict):
            (name,) = [t for t in NAMES if value["Ref"] in load(t)["Parameters"]]
            value = load(name)["Parameters"][value["Ref"]]["Default"]
        total += value or 0
    return total


def test_reservations_are_read_from_the_templates_with_the_parameter_values() -> None:
    assert sum(r.concurrency for r in default_reservations()) == declared_total()
    lowered = default_reservations(ApiReservedConcurrency="10")
    assert sum(r.concurrency for r in lowered) == declared_total() - 30
    assert {r.function for r in lowered} == {f.name_in("lambda-stack", "dev") for f in RESERVING}


def test_new_account_with_a_low_quota_is_told_what_to_request_before_anything_is_created() -> None:
    # GIVEN a new account's quota of 10, nothing reserved yet
    wanted = default_reservations()
    total = sum(r.concurrency for r in wanted)

    # WHEN the check runs
    with pytest.raises(preflight.QuotaError) as raised:
        preflight.check_concurrency(stubbed_lambda(10, 10), wanted)

    # THEN it names the reservations, the quota to request and the knobs to lower
    message = str(raised.value)
    assert f"reserves {total}" in message
    assert f"at least {total + 100}" in message
    assert "L-B99A9384" in message
    assert "ApiReservedConcurrency" in message and "ImportMaxConcurrency" in message


def test_default_quota_leaves_room_for_the_stage() -> None:
    wanted = default_reservations()
    left = preflight.check_concurrency(stubbed_lambda(1000, 1000), wanted)
    assert left == 1000 - sum(r.concurrency for r in wanted)


def test_a_redeploy_counts_what_the_stage_already_reserves() -> None:
    # GIVEN a quota just above the stage's reservations and Lambda's 100 unreserved, of which
    # the stage's API already holds 40
    wanted = default_reservations()
    quota = sum(r.concurrency for r in wanted) + 100 + 9

    # THEN the same reservations fit again: the 40 are the API's own
    left = preflight.check_concurrency(
        stubbed_lambda(quota, quota - 40, {API.name_in("lambda-stack", "dev"): 40}), wanted
    )
    assert left == quota - sum(r.concurrency for r in wanted)
