"""deploy/cloudformation/ci.yaml: left out of `make deploy`, and its roles scoped to one stage.

The CI stack is deployed into moto for the stage dev, and its roles' policies, as moto stores
them, are evaluated (tests/deploy/iam.py) against the names `make deploy` uses for dev and prod.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

import stackspec
from deploytools import cloudformation
from deploytools.__main__ import main as deploytools_main
from deploytools.plan import Config, deploy_plan
from deploytools.render import as_text, deploy_commands
from tests.deploy.ci_stack import PROVIDER, REPOSITORY, TEMPLATE, CiRoles, deploy_ci_stack
from tests.deploy.iam import allowed, prefixes
from tests.deploy.stagefiles import settings
from tests.deploy.templates import NAMES, load

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

ACCOUNT, REGION, PROJECT = "123456789012", "us-east-1", "lambda-stack"


@pytest.fixture(scope="module")
def roles() -> Iterator[CiRoles]:
    import boto3
    from moto import mock_aws

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        cfn = boto3.client("cloudformation", region_name=REGION)
        yield deploy_ci_stack(cfn, boto3.client("iam", region_name=REGION), PROJECT, "dev")


def config(stage: str, dist: Path) -> Config:
    return Config(stage, PROJECT, REGION, account_id=ACCOUNT, dist=dist)


def stack_arn(stack_name: str) -> str:
    return f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{stack_name}/0a1b2c3d"


def test_the_ci_template_is_a_bootstrap_one_and_no_deploy_step_names_it() -> None:
    assert TEMPLATE.stem not in NAMES
    assert TEMPLATE not in [stack.template for stack in stackspec.load_stacks()]
    plan = as_text(deploy_commands(deploy_plan(Config("dev"), settings())))
    assert TEMPLATE.name not in plan
    assert "-ci-" not in plan


def test_a_bootstrap_template_declares_no_function_for_the_tooling(tmp_path: Path) -> None:
    # GIVEN a folder of templates where the only function sits in a bootstrap template
    text = TEMPLATE.read_text(encoding="utf-8")
    function = (
        "  Stray:\n    Type: AWS::Lambda::Function\n    Properties:\n"
        "      Handler: stray.index.handler\n      Code: {S3Key: !Ref StrayKey}\n"
    )
    (tmp_path / "ci.yaml").write_text(text.replace("Resources:\n", f"Resources:\n{function}", 1))
    # WHEN the declaration is read THEN there is no stack and no function, one bootstrap template
    assert stackspec.load_stacks(tmp_path) == ()
    assert stackspec.functions(tmp_path) == ()
    assert stackspec.bootstrap_templates(tmp_path) == (tmp_path / "ci.yaml",)


def test_the_deploy_role_trusts_only_the_stages_environment_of_the_repository(
    roles: CiRoles,
) -> None:
    (statement,) = roles.trust
    assert statement["Principal"] == {"Federated": PROVIDER}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    # exact matches: no wildcard lets another repository, branch or environment in
    assert statement["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": f"repo:{REPOSITORY}:environment:dev",
        }
    }


def test_the_deploy_role_updates_the_stages_stacks_only(roles: CiRoles, tmp_path: Path) -> None:
    for stage, wanted in (("dev", True), ("prod", False)):
        for step in deploy_plan(config(stage, tmp_path), settings(stage)).stacks:
            arn = stack_arn(step.stack_name)
            assert allowed(roles.deploy, "cloudformation:UpdateStack", arn) is wanted, arn
    # never its own stack, which holds its permissions
    assert not allowed(roles.deploy, "cloudformation:UpdateStack", roles.stack_id)
    assert not allowed(roles.deploy, "cloudformation:UpdateStack", stack_arn("another-dev-vpc"))


def test_the_deploy_role_uploads_the_stages_artifacts_only(roles: CiRoles, tmp_path: Path) -> None:
    for stage, wanted in (("dev", True), ("prod", False)):
        plan = deploy_plan(config(stage, tmp_path), settings(stage))
        for upload in plan.uploads:
            arn = f"arn:aws:s3:::{plan.config.artifacts_bucket}/{upload.key}"
            assert allowed(roles.deploy, "s3:PutObject", arn) is wanted, arn
    assert not allowed(
        roles.deploy, "s3:PutObject", "arn:aws:s3:::someone-elses/lambda-stack/dev/x"
    )


def test_the_deploy_role_invokes_the_stages_functions_only(roles: CiRoles) -> None:
    for function in stackspec.functions():
        for stage, wanted in (("dev", True), ("prod", False)):
            name = function.name_in(PROJECT, stage)
            arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
            assert allowed(roles.deploy, "lambda:InvokeFunction", arn) is wanted, arn


def test_the_deploy_role_creates_nothing_itself_and_passes_its_role_to_cloudformation(
    roles: CiRoles,
) -> None:
    # on no resource at all (resource "*": any)
    for action in (
        "ec2:CreateVpc",
        "rds:CreateDBInstance",
        "lambda:CreateFunction",
        "s3:DeleteBucket",
    ):
        assert not allowed(roles.deploy, action), action
    stage_role = f"arn:aws:iam::{ACCOUNT}:role/{PROJECT}-dev-vpc-FlowLogRole-ABC"
    assert not allowed(roles.deploy, "iam:CreateRole", stage_role)
    assert allowed(roles.deploy, "iam:PassRole", roles.execution_arn)
    other_role = roles.execution_arn.replace("-dev-", "-prod-")
    assert not allowed(roles.deploy, "iam:PassRole", other_role)


def test_the_execution_role_covers_every_service_the_stages_templates_use(roles: CiRoles) -> None:
    # A template that starts using a new service fails here until ci.yaml allows it.
    used = {
        resource["Type"].split("::")[1].lower()
        for name in NAMES
        for resource in load(name)["Resources"].values()
    }
    assert used - prefixes(roles.execution) == set()


def test_the_execution_role_never_touches_the_ci_roles_or_another_stage(roles: CiRoles) -> None:
    ci_role = roles.deploy_arn
    assert not allowed(roles.execution, "iam:PutRolePolicy", ci_role)
    assert not allowed(roles.execution, "iam:PutRolePolicy", roles.execution_arn)
    dev_role = f"arn:aws:iam::{ACCOUNT}:role/{PROJECT}-dev-vpc-FlowLogRole-ABC"
    assert allowed(roles.execution, "iam:PutRolePolicy", dev_role)
    assert not allowed(roles.execution, "iam:PutRolePolicy", dev_role.replace("-dev-", "-prod-"))
    prod_function = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{PROJECT}-prod-any"
    assert not allowed(roles.execution, "lambda:UpdateFunctionCode", prod_function)


def test_the_plan_deploys_every_stack_through_the_execution_role_when_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/{PROJECT}-ci-dev-cloudformation"
    assert deploytools_main(["plan", "--stage", "dev", "--execution-role", role]) == 0
    printed = capsys.readouterr().out.splitlines()
    deploys = [line for line in printed if "cloudformation deploy" in line]
    assert len(deploys) == len(NAMES)
    assert all(f"--role-arn {role}" in line for line in deploys)


def test_a_stack_deployed_through_the_execution_role_keeps_it(roles: CiRoles) -> None:
    import boto3

    cfn = boto3.client("cloudformation", region_name=REGION)
    body = '{"Resources": {"Probe": {"Type": "AWS::SQS::Queue"}}}'
    cloudformation.deploy(cfn, f"{PROJECT}-dev-probe", body, {}, roles.execution_arn)
    (stack,) = cfn.describe_stacks(StackName=f"{PROJECT}-dev-probe")["Stacks"]
    assert stack["RoleARN"] == roles.execution_arn
