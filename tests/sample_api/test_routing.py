"""Unknown paths, wrong methods and the OpenAPI document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from openapi_spec_validator import validate

from tests.sample_api.conftest import Invoke, count_users

if TYPE_CHECKING:
    import psycopg


@pytest.mark.parametrize("path", ["/", "/nope", "/users/1/friends", "/Users", "/openapi.json/x"])
def test_unknown_path_answers_404(api: Invoke, path: str) -> None:
    reply = api("get_users", path=path)
    assert reply.status == 404
    assert reply.body == {"message": "not found"}


# Derived from the document, so that a new route (say DELETE /users/{user_id}) moves a method
# from one side to the other instead of breaking this test. /openapi.json is not in itself.
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _allowed(api: Invoke, path: str) -> set[str]:
    if path == "/openapi.json":
        return {"GET"}
    template = path.replace("/1", "/{user_id}")
    return {method.upper() for method in api("get_openapi").body["paths"][template]}


@pytest.mark.parametrize("path", ["/users", "/users/1", "/openapi.json"])
def test_wrong_method_on_a_known_path_answers_405_with_allow(
    api: Invoke, db: psycopg.Connection[Any], path: str
) -> None:
    allowed = _allowed(api, path)
    for method in sorted(_METHODS - allowed):
        reply = api("post_user", method=method, path=path)
        assert reply.status == 405, method
        assert reply.headers["Allow"] == ", ".join(sorted(allowed)), method
    assert count_users(db) == 0


def test_openapi_document_is_valid_openapi_3(api: Invoke) -> None:
    reply = api("get_openapi")
    assert reply.status == 200
    validate(reply.body)


def test_openapi_document_describes_every_route_with_the_validating_models(api: Invoke) -> None:
    document = api("get_openapi").body
    assert set(document["paths"]) == {"/users", "/users/{user_id}"}
    assert set(document["paths"]["/users"]) == {"get", "post"}
    new_user = document["components"]["schemas"]["NewUser"]
    assert set(new_user["required"]) == {"name", "email"}
    assert new_user["additionalProperties"] is False
    parameters = {p["name"]: p for p in document["paths"]["/users"]["get"]["parameters"]}
    assert parameters["limit"]["schema"]["maximum"] == 100
    post = document["paths"]["/users"]["post"]["responses"]
    assert {"201", "400", "409", "413", "422", "503"} <= set(post)
    assert "404" in document["paths"]["/users/{user_id}"]["get"]["responses"]
    for name in ("UserOut", "UserPage", "ErrorOut"):
        assert name in document["components"]["schemas"]


def test_the_document_leaves_the_routers_serving_requests(api: Invoke) -> None:
    # The document is written by a resolver of its own, over the same routers.
    from sample_api import index
    from sample_api.routes import users

    assert api("get_openapi").status == 200
    assert users.router.api_resolver is index.app
    assert api("get_users").status == 200
