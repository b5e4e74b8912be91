"""The gateway routes by the paths the templates give each API function, as API Gateway does."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from localcloud import triggers
from localcloud.gateway import GatewayServer
from localcloud.routes import Routes
from tests.localcloud.declarations import Template
from tests.localcloud.test_gateway import request

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from localcloud.functions import FunctionHost

NAMED_HANDLER = """
import json
NAME = "{name}"

def handler(event, context):
    body = {{"function": NAME, "resource": event["resource"], "params": event["pathParameters"]}}
    return {{"statusCode": 200, "body": json.dumps(body)}}
"""


@pytest.fixture
def two_apis(
    function_package: Callable[[str], FunctionHost], tmp_path: Path
) -> tuple[FunctionHost, FunctionHost, Routes]:
    """A catch-all API function and an orders one, declared in a template, routed as declared."""
    users = function_package(NAMED_HANDLER.format(name="users"))
    orders = function_package(NAMED_HANDLER.format(name="orders"))
    template = Template()
    template.function("UsersFunction", users.name)
    template.function("OrdersFunction", orders.name)
    template.api("UsersFunction", "/", "/{proxy+}")
    template.api("OrdersFunction", "/orders", "/orders/{proxy+}")
    functions = stackspec.functions(template.write(tmp_path / "templates"))
    hosts = {users.name: users, orders.name: orders}
    routes = Routes((p, hosts[f.name]) for f in functions for p in triggers.api_paths(f))
    return users, orders, routes


def answer(url: str, path: str) -> dict[str, Any]:
    response = request(url, path)
    assert response.status == 200, response.read()
    result: dict[str, Any] = json.loads(response.read())
    return result


def test_a_second_api_function_gets_the_requests_of_its_paths(
    two_apis: tuple[FunctionHost, FunctionHost, Routes],
) -> None:
    *_, routes = two_apis
    with GatewayServer(routes) as server:
        assert answer(server.url, "/orders")["function"] == "orders"
        assert answer(server.url, "/orders/7/lines") == {
            "function": "orders",
            "resource": "/orders/{proxy+}",
            "params": {"proxy": "7/lines"},
        }
        assert answer(server.url, "/users/7")["function"] == "users"
        assert answer(server.url, "/")["function"] == "users"
        assert answer(server.url, "/ordersx")["function"] == "users"  # a segment, not a prefix


def test_the_most_specific_resource_wins(echo_host: FunctionHost) -> None:
    routes = Routes(
        (path, echo_host)
        for path in ("/{proxy+}", "/users/{id}", "/users/me", "/users/{id}/{rest+}", "/users")
    )

    def resource(path: str) -> tuple[str, dict[str, str] | None] | None:
        match = routes.match(path)
        return None if match is None else (match.resource, match.path_parameters)

    assert resource("/users/me") == ("/users/me", None)
    assert resource("/users/7") == ("/users/{id}", {"id": "7"})
    assert resource("/users/7/a/b") == ("/users/{id}/{rest+}", {"id": "7", "rest": "a/b"})
    assert resource("/users") == ("/users", None)
    assert resource("/other/x") == ("/{proxy+}", {"proxy": "other/x"})
    assert resource("/") is None  # a greedy path needs at least one segment


def test_a_path_no_resource_matches_gets_api_gateways_403(
    echo_host: FunctionHost,
) -> None:
    with GatewayServer(Routes([("/orders", echo_host)])) as server:
        response = request(server.url, "/users")
        assert response.status == 403
        assert json.loads(response.read()) == {"message": "Missing Authentication Token"}
    # and the function itself was never called
    assert json.loads(echo_host.invoke({}).result["body"])["calls"] == 1


def test_one_path_declared_for_two_functions_is_refused(
    function_package: Callable[[str], FunctionHost],
) -> None:
    first, second = function_package("x = 1\n"), function_package("x = 2\n")
    with pytest.raises(ValueError, match=f"/orders is declared for both {first.name} and"):
        Routes([("/orders", first), ("/orders", second)])
