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
