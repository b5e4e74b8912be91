"""deploy/cloudformation/ci.yaml deployed into moto, and its roles' policies as deployed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stackspec
from tests.deploy.iam import statements

REPOSITORY = "acme-corp/our-stack"
PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
(TEMPLATE,) = stackspec.bootstrap_templates()


@dataclass(frozen=True)
class CiRoles:
    """One stage's CI stack: the deploy role's trust and policy, the execution role's policy."""

    stack_id: str
    deploy_arn: str
    execution_arn: str
    trust: list[dict[str, Any]]
    deploy: list[dict[str, Any]]
    execution: list[dict[str, Any]]


def deploy_ci_stack(cfn: Any, iam: Any, project: str, stage: str) -> CiRoles:
    """Create the stage's CI stack (moto has no OIDC provider: an existing one is given)."""
    name = f"{project}-ci-{stage}"
    given = {
        "Project": project,
        "Stage": stage,
        "GitHubRepository": REPOSITORY,
        "ExistingProviderArn": PROVIDER,
    }
    stack_id = cfn.create_stack(
        StackName=name,
        TemplateBody=TEMPLATE.read_text(encoding="utf-8"),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in given.items()],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )["StackId"]
    outputs = {
        o["OutputKey"]: o["OutputValue"]
        for o in cfn.describe_stacks(StackName=name)["Stacks"][0]["Outputs"]
    }
    deploy_arn, execution_arn = outputs["DeployRoleArn"], outputs["ExecutionRoleArn"]
    return CiRoles(
        stack_id,
        deploy_arn,
        execution_arn,
        statements(_role(iam, deploy_arn)["AssumeRolePolicyDocument"]),
        _inline(iam, deploy_arn),
        _inline(iam, execution_arn),
    )


def _role(iam: Any, arn: str) -> dict[str, Any]:
    role: dict[str, Any] = iam.get_role(RoleName=arn.rsplit("/", 1)[1])["Role"]
    return role


def _inline(iam: Any, arn: str) -> list[dict[str, Any]]:
    name = arn.rsplit("/", 1)[1]
    found = []
    for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
        found += statements(document)
    return found
