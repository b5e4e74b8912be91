"""The local API Gateway over real HTTP: the proxy event it builds, the response it returns."""

from __future__ import annotations

import base64
import http.client
import json
import re
import time
import urllib.request
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from localcloud.gateway import MAX_BODY_BYTES, GatewayServer
from localcloud.routes import Routes

if TYPE_CHECKING:
    from collections.abc import Callable

    from localcloud.functions import FunctionHost


def request(
    url: str,
    path: str,
    method: str = "GET",
    body: bytes | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> http.client.HTTPResponse:
    """One request with full control over repeated headers (urllib merges them)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    conn.putrequest(method, path)
    for key, value in headers or []:
        conn.putheader(key, value)
    if body is not None:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    return conn.getresponse()


def echoed(response: http.client.HTTPResponse) -> dict[str, Any]:
    assert response.status == 200, response.read()
    payload: dict[str, Any] = json.loads(response.read())
    return payload


def test_get_becomes_a_rest_proxy_event_with_multi_value_fields(gateway_url: str) -> None:
    # WHEN
    before = int(time.time() * 1000)
    response = request(
        gateway_url,
        "/users/7?tag=a&tag=b&limit=5",
        headers=[("X-Trace", "one"), ("X-Trace", "two"), ("Accept", "application/json")],
    )
    # THEN
    event = echoed(response)["event"]
    assert event["httpMethod"] == "GET"
    assert event["path"] == "/users/7"
    assert event["resource"] == "/{proxy+}"
    assert event["pathParameters"] == {"proxy": "users/7"}
    assert event["queryStringParameters"] == {"tag": "b", "limit": "5"}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "limit": ["5"]}
    assert event["multiValueHeaders"]["X-Trace"] == ["one", "two"]
    assert event["headers"]["X-Trace"] == "two"
    assert event["headers"]["Accept"] == "application/json"
    assert event["body"] is None
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["stage"] == "local"
    assert context["httpMethod"] == "GET"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["requestTimeEpoch"] >= before
    assert len(context["requestId"]) == 36


def test_each_request_gets_its_own_request_id(gateway_url: str) -> None:
    first = echoed(request(gateway_url, "/a"))["event"]["requestContext"]["requestId"]
    second = echoed(request(gateway_url, "/a"))["event"]["requestContext"]["requestId"]
    assert first != second


def test_root_path_has_no_path_parameters_and_no_query(gateway_url: str) -> None:
    event = echoed(request(gateway_url, "/"))["event"]
    assert event["resource"] == "/"
    assert event["pathParameters"] is None
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None


def test_json_body_arrives_as_text(gateway_url: str) -> None:
    body = json.dumps({"name": "Zoë", "email": "z@example.com"}).encode()
    headers = [("Content-Type", "application/json")]
    event = echoed(request(gateway_url, "/users", "POST", body, headers))["event"]
    assert event["isBase64Encoded"] is False
    assert json.loads(event["body"]) == {"name": "Zoë", "email": "z@example.com"}


def test_binary_body_arrives_base64_encoded(gateway_url: str) -> None:
    body = bytes(range(256))
    headers = [("Content-Type", "application/octet-stream")]
    event = echoed(request(gateway_url, "/upload", "PUT", body, headers))["event"]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


def test_text_typed_body_that_is_not_utf8_arrives_base64_encoded(gateway_url: str) -> None:
    body = b"\xff\xfe not utf-8"
    headers = [("Content-Type", "text/plain")]
    event = echoed(request(gateway_url, "/x", "POST", body, headers))["event"]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


def test_base64_response_is_decoded_and_multi_value_headers_all_sent(gateway_url: str) -> None:
    response = request(gateway_url, "/binary")
    assert response.status == 200
    assert response.read() == bytes(range(256))
    assert response.getheader("Content-Type") == "image/png"
    assert response.headers.get_all("Set-Cookie") == ["a=1", "b=2"]


def test_crash_answers_502_like_api_gateway(gateway_url: str) -> None:
    response = request(gateway_url, "/crash")
    assert response.status == 502
    assert json.loads(response.read()) == {"message": "Internal server error"}


def test_body_over_10_mb_is_refused_before_the_function(gateway_url: str) -> None:
    # GIVEN one call, so the function's own counter shows whether the next one reached it
    assert echoed(request(gateway_url, "/count"))["calls"] == 1
    # WHEN
    response = request(gateway_url, "/big", "POST", b"x" * (MAX_BODY_BYTES + 1))
    # THEN
    assert response.status == 413
    assert echoed(request(gateway_url, "/count"))["calls"] == 2


def test_body_of_10_mb_reaches_the_function(gateway_url: str) -> None:
    body = b"x" * MAX_BODY_BYTES
    event = echoed(request(gateway_url, "/big", "POST", body))["event"]
    assert len(event["body"]) == MAX_BODY_BYTES


def test_code_change_reloads_the_function_and_next_call_is_cold(
    function_package: Callable[[str], FunctionHost],
) -> None:
    from tests.localcloud.conftest import ECHO_HANDLER

    # GIVEN a function that answered twice, warm the second time
    host = function_package(ECHO_HANDLER.format(version="1"))
    assert host.invoke({}).cold is True
    assert host.invoke({}).cold is False
    with GatewayServer(Routes.catch_all(host)) as server:
        assert echoed(request(server.url, "/v"))["calls"] == 3
        # WHEN its code changes (same size, same second: the stale-bytecode trap)
        index = host.watch[0] / "index.py"
        index.write_text(index.read_text().replace('VERSION = "1"', 'VERSION = "2"'))
        # THEN the next request runs the new code in a fresh module, and was a cold start
        after = echoed(request(server.url, "/v"))
    assert after["version"] == "2"
    assert after["calls"] == 1
    assert host.invoke({}).cold is False


def test_docs_serve_swagger_ui_from_the_package_without_any_cdn(gateway_url: str) -> None:
    with urllib.request.urlopen(f"{gateway_url}/docs") as page:  # noqa: S310 (follows the redirect)
        html = page.read().decode()
    assert page.url.endswith("/docs/")
    assert 'url: "/openapi.json"' in html
    assert "https://" not in html and "http://" not in html
    for asset in ("swagger-ui-bundle.min.js", "swagger-ui.min.css"):
        assert f'"{asset}"' in html
        with urllib.request.urlopen(f"{gateway_url}/docs/{asset}") as response:  # noqa: S310
            assert response.status == 200
            assert len(response.read()) > 10_000


def test_docs_bundle_renders_openapi_3_1(gateway_url: str) -> None:
    # Swagger UI 3 refuses "openapi: 3.1.x" documents ("no valid version field"); 5 renders them.
    with urllib.request.urlopen(f"{gateway_url}/docs/swagger-ui-bundle.min.js") as response:  # noqa: S310
        bundle = response.read().decode()
    match = re.search(r'PACKAGE_VERSION:"(\d+)\.', bundle)
    assert match is not None and int(match.group(1)) >= 5


def test_docs_refuse_paths_outside_the_bundle(gateway_url: str) -> None:
    response = request(gateway_url, "/docs/..%2Fswagger_ui%2F__init__.py")
    assert response.status == 404
