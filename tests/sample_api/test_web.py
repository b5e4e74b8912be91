"""The response helpers of sample_api/web.py, as API Gateway receives them from a resolver."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from sample_api import web
from tests.fixtures.events import load_event


def test_no_content_is_a_204_without_body_or_content_type(lambda_context: Any) -> None:
    # GIVEN a resolver whose one route answers with the helper
    app = APIGatewayRestResolver()

    @app.get("/users")
    def answer() -> Response[str]:
        return web.no_content()

    # WHEN API Gateway's event reaches it
    result = app.resolve(load_event("get_users"), lambda_context("sample_api"))
    # THEN the proxy response is a bare 204 that no cache keeps
    headers = {key.lower(): values for key, values in result["multiValueHeaders"].items()}
    assert (result["statusCode"], result["body"]) == (204, "")
    assert "content-type" not in headers
    assert headers["cache-control"] == ["no-store"]


def test_a_no_content_response_is_documented_without_a_body(lambda_context: Any) -> None:
    from sample_api import openapi

    app = APIGatewayRestResolver(enable_validation=True)

    @app.delete("/users/<user_id>", responses={204: openapi.no_content("deleted")})
    def answer(user_id: int) -> Response[str]:
        return web.no_content()

    document = app.get_openapi_schema().model_dump(mode="json", by_alias=True, exclude_none=True)
    response = document["paths"]["/users/{user_id}"]["delete"]["responses"]["204"]
    assert response == {"description": "deleted", "content": {}}
