"""A change of the API's methods reaches the stage: a new Deployment, rendered by the tool."""

from __future__ import annotations

from typing import Any

from deploytools import apigateway, template
from tests.deploy.templates import TEMPLATE_DIR

API = template.load((TEMPLATE_DIR / "apigateway-lambda.yaml").read_text())


def rendered(**overrides: str) -> dict[str, Any]:
    parameters = {**template.defaults(API), "Stage": "dev", **overrides}
    return apigateway.with_deployment_identity(API, parameters)


def deployment_id(body: dict[str, Any]) -> str:
    (logical_id,) = template.resources(body, "AWS::ApiGateway::Deployment")
    return logical_id


def test_changing_auth_mode_renders_a_new_deployment_that_the_stage_serves() -> None:
    # GIVEN the API rendered public, then secured with IAM
    public, secured = rendered(AuthMode="none"), rendered(AuthMode="iam")

    # THEN each has its own deployment, and its stage serves that one
    assert deployment_id(public) != deployment_id(secured)
    for body in (public, secured):
        (stage,) = template.resources(body, "AWS::ApiGateway::Stage").values()
        assert stage["Properties"]["DeploymentId"] == {"Ref": deployment_id(body)}


def test_changing_a_method_renders_a_new_deployment() -> None:
    changed = {**API, "Resources": dict(API["Resources"])}
    method = changed["Resources"]["ProxyMethod"]
    changed["Resources"]["ProxyMethod"] = {
        **method,
        "Properties": {**method["Properties"], "HttpMethod": "GET"},
    }
    parameters = {**template.defaults(API), "Stage": "dev"}

    before = apigateway.with_deployment_identity(API, parameters)
    after = apigateway.with_deployment_identity(changed, parameters)

    assert deployment_id(before) != deployment_id(after)


def test_same_api_keeps_its_deployment_whatever_else_changes() -> None:
    # a redeploy only when the snapshot changes: not for the log level or the throttle
    assert deployment_id(rendered()) == deployment_id(rendered())
    assert deployment_id(rendered(LogLevel="DEBUG", ThrottleRateLimit="5")) == deployment_id(
        rendered()
    )


def test_every_reference_to_the_deployment_follows_the_rename() -> None:
    body = rendered()
    new = deployment_id(body)
    text = template.dump(body)
    assert '"Deployment"' not in text and '"Deployment.' not in text
    assert "${Deployment}" not in text
    assert f'"{new}"' in text


def test_template_as_written_has_one_deployment_the_tool_renames() -> None:
    # The tool renames the resource it finds; a template that grows a second REST API needs
    # each deployment to hash its own methods (this test then fails, on purpose).
    assert len(template.resources(API, "AWS::ApiGateway::Deployment")) == 1
    assert deployment_id(rendered()).startswith("Deployment")
