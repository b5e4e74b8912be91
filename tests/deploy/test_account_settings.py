"""Account-wide settings are the tool's, set once: API Gateway's CloudWatch role (moto)."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import pytest

from deploytools import apigateway, template
from tests.deploy.templates import NAMES, TEMPLATE_DIR, load

if TYPE_CHECKING:
    from collections.abc import Iterator

ROLE = "lambda-stack-apigateway-logs"


@pytest.fixture
def aws() -> Iterator[dict[str, Any]]:
    import boto3
    from moto import mock_aws

    saved = {name: os.environ.pop(name, None) for name in ("AWS_ENDPOINT_URL_S3",)}
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    # the role attaches an AWS managed policy, which moto knows only when asked to load them
    with mock_aws(config={"iam": {"load_aws_managed_policies": True}}):
        yield {n: boto3.client(n, region_name="us-east-1") for n in ("apigateway", "iam")}
    os.environ.update({k: v for k, v in saved.items() if v is not None})


def test_no_stack_sets_an_account_wide_setting() -> None:
    # every stage's stack overwrote the region's API Gateway role, and the first creation of
    # AWS::ApiGateway::Account fails now and then (aws/aws-cdk#2194)
    for name in NAMES:
        kinds = {r["Type"] for r in load(name)["Resources"].values()}
        assert "AWS::ApiGateway::Account" not in kinds, name


def test_the_stage_logs_so_the_tool_sets_the_role() -> None:
    bodies = [template.load((TEMPLATE_DIR / f"{name}.yaml").read_text()) for name in NAMES]
    assert apigateway.needs_logging_role(bodies)


def test_absent_role_is_created_and_set_once(aws: dict[str, Any]) -> None:
    # GIVEN an account whose API Gateway has no CloudWatch role
    apigw, iam = aws["apigateway"], aws["iam"]
    assert "cloudwatchRoleArn" not in apigw.get_account()
    said: list[str] = []

    # WHEN the tool runs twice
    first = apigateway.ensure_logging_role(apigw, iam, ROLE, said.append)
    second = apigateway.ensure_logging_role(apigw, iam, ROLE, said.append)

    # THEN one role, trusted by API Gateway with the managed logging policy, is set once
    assert first == second == apigw.get_account()["cloudwatchRoleArn"]
    role = iam.get_role(RoleName=ROLE)["Role"]
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(trust) if isinstance(trust, str) else trust
    assert trust["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}
    attached = iam.list_attached_role_policies(RoleName=ROLE)["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AmazonAPIGatewayPushToCloudWatchLogs"]
    assert len(said) == 1


def test_a_role_already_set_is_left_alone(aws: dict[str, Any]) -> None:
    apigw, iam = aws["apigateway"], aws["iam"]
    theirs = iam.create_role(RoleName="set-by-someone-else", AssumeRolePolicyDocument="{}")
    arn = theirs["Role"]["Arn"]
    apigw.update_account(
        patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": arn}]
    )

    assert apigateway.ensure_logging_role(apigw, iam, ROLE, print) == arn
    assert apigw.get_account()["cloudwatchRoleArn"] == arn
    assert ROLE not in {r["RoleName"] for r in iam.list_roles()["Roles"]}


def test_a_new_role_not_yet_visible_to_api_gateway_is_set_on_a_later_attempt(
    aws: dict[str, Any],
) -> None:
    # GIVEN API Gateway refuses the new role once, as IAM's propagation makes it do
    from botocore.stub import Stubber

    apigw = aws["apigateway"]
    stubber = Stubber(apigw)
    stubber.add_response("get_account", {})
    stubber.add_client_error(
        "update_account",
        "BadRequestException",
        "The role ARN does not have required permissions set to API Gateway",
    )
    stubber.add_response("update_account", {})
    pauses: list[float] = []

    # WHEN the tool sets it
    with stubber:
        apigateway.ensure_logging_role(apigw, aws["iam"], ROLE, print, sleep=pauses.append)

    # THEN it waited once and tried again
    stubber.assert_no_pending_responses()
    assert len(pauses) == 1
