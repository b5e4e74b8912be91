"""API Gateway REST proxy integration, payload 1.0: HTTP request -> event, result -> response."""

from __future__ import annotations

import base64
import time
import uuid
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Response

if TYPE_CHECKING:
    from werkzeug.datastructures import MultiDict
    from werkzeug.wrappers import Request

STAGE = "local"
RAW_HEADERS_KEY = "localcloud.raw_headers"  # the headers as received, repeats kept
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
_TEXT_SUFFIXES = ("+json", "+xml")


def is_text(content_type: str | None) -> bool:
    """Whether API Gateway would pass a body of this type as text rather than base64."""
    if not content_type:
        return True  # no Content-Type: API Gateway treats the body as text
    media = content_type.split(";", 1)[0].strip().lower()
    return (
        media.startswith(_TEXT_TYPES)
        or media.endswith(_TEXT_SUFFIXES)
        or media == "application/x-www-form-urlencoded"
    )


def _single_and_multi(
    pairs: MultiDict[str, str],
) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    # API Gateway keeps the last value in the single-value map, every value in the other.
    multi = {key: pairs.getlist(key) for key in pairs}
    if not multi:
        return None, None
    return {key: values[-1] for key, values in multi.items()}, multi


def _body(request: Request, raw: bytes) -> tuple[str | None, bool]:
    if not raw:
        return None, False
    if is_text(request.content_type):
        try:
            return raw.decode("utf-8"), False
        except UnicodeDecodeError:
            pass  # not UTF-8 after all: send it the way binary media types go
    return base64.b64encode(raw).decode("ascii"), True


def to_event(
    request: Request,
    raw_body: bytes,
    resource: str,
    path_parameters: dict[str, str] | None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """The event API Gateway sends for a request that matched `resource` (Lambda proxy)."""
    headers: dict[str, list[str]] = {}
    for key, value in request.environ.get(RAW_HEADERS_KEY) or request.headers.items():
        headers.setdefault(key, []).append(value)
    query, multi_query = _single_and_multi(request.args)
    body, is_base64 = _body(request, raw_body)
    now = time.time()
    request_id = request_id or str(uuid.uuid4())
    return {
        "resource": resource,
        "path": request.path,
        "httpMethod": request.method,
        "headers": {key: values[-1] for key, values in headers.items()} or None,
        "multiValueHeaders": headers or None,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_parameters or None,
        "stageVariables": None,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "resourceId": "local",
            "resourcePath": resource,
            "httpMethod": request.method,
            "path": f"/{STAGE}{request.path}",
            "stage": STAGE,
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "requestTimeEpoch": int(now * 1000),
            "domainName": request.host,
            "identity": {
                "sourceIp": request.remote_addr or "127.0.0.1",
                "userAgent": request.user_agent.string or None,
                "accessKey": None,
                "accountId": None,
                "caller": None,
                "user": None,
                "userArn": None,
            },
        },
        "body": body,
        "isBase64Encoded": is_base64,
    }


def to_response(result: Any) -> Response:
    """The HTTP response for the handler's return value; a malformed one gives API Gateway's 502."""
    if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
        return error_response(502, "Internal server error")
    body = result.get("body") or ""
    if not isinstance(body, str):
        return error_response(502, "Internal server error")
    payload = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")
    response = Response(payload, status=result["statusCode"])
    response.headers.remove("Content-Type")  # only what the function sets
    for key, value in (result.get("headers") or {}).items():
        response.headers[key] = str(value)
    for key, values in (result.get("multiValueHeaders") or {}).items():
        # Both maps merge; a pair present in both appears once.
        merged = [str(item) for item in values]
        merged += [value for value in response.headers.getlist(key) if value not in merged]
        response.headers.remove(key)
        for value in merged:
            response.headers.add(key, value)
    return response


def error_response(status: int, message: str) -> Response:
    """A response in API Gateway's own error shape (`{"message": ...}`)."""
    import json

    return Response(
        json.dumps({"message": message}), status=status, content_type="application/json"
    )
