"""HTTP plumbing for the routes: body limits, JSON and empty responses, error bodies, methods."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.exceptions import RequestEntityTooLargeError
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from pydantic import BeforeValidator

from shared.db import run_read

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from aws_lambda_powertools.event_handler import APIGatewayRestResolver
    from aws_lambda_powertools.event_handler.types import EventHandlerInstance

MAX_BODY_BYTES = 64 * 1024
_NO_STORE = {"Cache-Control": "no-store"}
_FIELD_NAME_LIMIT = 100


class DuplicateKeyError(ValueError):
    """A JSON object in the request body has the same key twice."""

    def __init__(self, key: str) -> None:
        super().__init__("request body has a duplicate key")
        self.key = key


def load_json_body(body: str) -> Any:
    """Parse a request body, refusing one over MAX_BODY_BYTES before parsing anything."""
    if _over_limit(body):
        raise RequestEntityTooLargeError(f"request body is over {MAX_BODY_BYTES} bytes")
    try:
        return json.loads(body, object_pairs_hook=_unique_keys)
    except RecursionError:
        # Deeply nested arrays exhaust the parser's stack: malformed for us, never a 500.
        raise json.JSONDecodeError("nested too deeply", body, 0) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys; a proxy or an audit log may read the first one,
    # and would then see another request than the one we execute.
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKeyError(key)
            seen.add(key)
    return obj


def _over_limit(text: str) -> bool:
    # A character takes 1 to 4 bytes in UTF-8: encode (a copy) only when length leaves it open.
    if len(text) > MAX_BODY_BYTES:
        return True
    if len(text) * 4 <= MAX_BODY_BYTES:
        return False
    return len(text.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES


class JsonBodiesOnly(OpenAPIRequestValidationMiddleware):
    """Request validation that reads a body only as one JSON object: other media types are 415.

    Powertools also parses form and multipart bodies into the model (a form POST then got a
    422 about missing fields) and raises ValueError on a multipart type with no boundary (a
    500). Found by schemathesis; the document declares application/json only.
    """

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    def _get_body(self, app: EventHandlerInstance) -> dict[str, Any]:
        content_type = app.current_event.headers.get("content-type", "")
        media_type = content_type.partition(";")[0].strip().lower()
        if media_type not in {"", "application/json"}:
            raise RequestUnsupportedContentType("send the body as application/json", errors=[])
        # Media types ignore case; Powertools' own check would refuse "Application/JSON".
        body: Any = self._parse_json_data(app)
        if not isinstance(body, dict):
            # Powertools unwraps a list into its first element, also for a body: [user] was a
            # 201, and [user, other] silently dropped the other (docs/operations.md).
            error = {"type": "dict_type", "loc": ("body",), "msg": "must be a JSON object"}
            raise RequestValidationError([error])
        return body


def reads_run_again(app: EventHandlerInstance, next_middleware: Callable[..., Any]) -> Any:
    """Middleware: a GET whose reused database connection was dead runs once more."""
    if app.current_event.http_method != "GET":
        return next_middleware(app)
    return run_read(lambda: next_middleware(app))


def _decimal_only(value: object) -> object:
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number written in digits")
    return value


# For integers in paths and query strings: pydantic alone would also read "1_0", "+1" or " 1".
DECIMAL_ONLY = BeforeValidator(_decimal_only)


def json_response(
    status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> Response[str]:
    """A JSON response that no cache keeps (it carries user data, or an error about it)."""
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body, separators=(",", ":")),
        headers={**_NO_STORE, **(headers or {})},
    )


def no_content() -> Response[str]:
    """204: done, nothing to return (DELETE). No body, so no Content-Type either.

    Document it with openapi.no_content(), so that the document promises no body.
    """
    return Response(status_code=204, body="", headers=dict(_NO_STORE))


def error_response(
    status: int,
    message: str,
    *,
    errors: list[dict[str, str]] | None = None,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    """The one error body shape: message, failed fields (validation), request id (5xx)."""
    body: dict[str, Any] = {"message": message}
    if errors is not None:
        body["errors"] = errors
    if request_id is not None:
        body["request_id"] = request_id
    return json_response(status, body, headers)


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Pydantic errors as `{"field": "body.email", "message": ...}`; never echoes the input."""
    result = []
    for error in errors:
        field = ".".join(str(part)[:_FIELD_NAME_LIMIT] for part in error.get("loc", ()))
        message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
        result.append({"field": field or "body", "message": message})
    return result


def allowed_methods(app: APIGatewayRestResolver, path: str) -> list[str]:
    """The methods some route accepts on this path (empty: the path itself is unknown)."""
    # Powertools keeps its route table private; tests/sample_api pin the 405 behaviour.
    routes = [*app._static_routes, *app._dynamic_routes]
    return sorted({route.method for route in routes if route.rule.match(path)})


def request_id(app: APIGatewayRestResolver) -> str:
    """API Gateway's request id (the client sees it as x-amzn-RequestId), else Lambda's."""
    try:
        return str(app.current_event.request_context.request_id)
    except (KeyError, TypeError, AttributeError):
        return str(getattr(app.lambda_context, "aws_request_id", "unknown"))
