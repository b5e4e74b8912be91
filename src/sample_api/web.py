"""HTTP plumbing for the routes: JSON and empty responses, error bodies, methods, read retries."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response

from shared.db import run_read

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from aws_lambda_powertools.event_handler import APIGatewayRestResolver
    from aws_lambda_powertools.event_handler.types import EventHandlerInstance

_NO_STORE = {"Cache-Control": "no-store"}
_FIELD_NAME_LIMIT = 100


def reads_run_again(app: EventHandlerInstance, next_middleware: Callable[..., Any]) -> Any:
    """Middleware: a GET whose reused database connection was dead runs once more."""
    if app.current_event.http_method != "GET":
        return next_middleware(app)
    return run_read(lambda: next_middleware(app))


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
