"""The errors every route can meet, each exception type to its status and JSON body.

Errors carry no HTTP codes: this table gives one to the framework's errors, to any transient
failure and to the unexpected; each routes/ module gives one to its resource's own errors.
A 5xx body never shows internals: it carries the request id, and the log line has the details.
"""

from __future__ import annotations

import binascii
from functools import partial
from typing import TYPE_CHECKING

import psycopg
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from sample_api import body, web
from shared.errors import TransientError
from shared.log import get_logger

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

logger = get_logger()
_RETRY_AFTER_SECONDS = "5"


def _invalid_request(exc: RequestValidationError) -> Response[str]:
    errors = list(exc.errors())
    if any(error.get("type") == "json_invalid" for error in errors):
        return web.error_response(400, "request body is not valid JSON")
    return web.error_response(422, "request is not valid", errors=web.field_errors(errors))


def _unsupported_content_type(exc: Exception) -> Response[str]:
    return web.error_response(415, "send the body as application/json")


def _undecodable_body(exc: Exception) -> Response[str]:
    return web.error_response(400, "request body is not valid UTF-8")


def _invalid_base64(exc: Exception) -> Response[str]:
    return web.error_response(400, "request body is not valid base64")


def _duplicate_key(exc: body.DuplicateKeyError) -> Response[str]:
    errors = web.field_errors([{"loc": ("body", exc.key), "msg": "appears more than once"}])
    return web.error_response(400, str(exc), errors=errors)


def _no_route(app: APIGatewayRestResolver, exc: Exception) -> Response[str]:
    allowed = web.allowed_methods(app, app.current_event.path)
    if allowed:
        return web.error_response(405, "method not allowed", headers={"Allow": ", ".join(allowed)})
    return web.error_response(404, "not found")


def _service_error(exc: ServiceError) -> Response[str]:
    return web.error_response(exc.status_code, str(exc.msg))


def _database_unavailable(app: APIGatewayRestResolver, exc: Exception) -> Response[str]:
    # The type and SQLSTATE say what happened; the message could name hosts or sockets.
    cause = exc.__cause__ or exc
    details = {"error": type(cause).__name__, "sqlstate": getattr(cause, "sqlstate", None)}
    logger.warning("database unavailable", extra=details)
    return web.error_response(
        503,
        "the database is unavailable, retry later",
        request_id=web.request_id(app),
        headers={"Retry-After": _RETRY_AFTER_SECONDS},
    )


def _unexpected(app: APIGatewayRestResolver, exc: Exception) -> Response[str]:
    logger.exception("unhandled error")
    return web.error_response(500, "internal error", request_id=web.request_id(app))


# Handlers match along each exception's MRO, so the framework's own errors are listed
# explicitly: the catch-all Exception would otherwise swallow them.
def install(app: APIGatewayRestResolver) -> None:
    """Register the table on the resolver."""
    with_app = (_no_route, _database_unavailable, _unexpected)
    for exc_type, respond in _TABLE.items():
        handler = partial(respond, app) if respond in with_app else respond
        app.exception_handler(exc_type)(handler)


_TABLE: dict[type[Exception], Callable[..., Response[str]]] = {
    RequestValidationError: _invalid_request,
    RequestUnsupportedContentType: _unsupported_content_type,
    UnicodeDecodeError: _undecodable_body,
    binascii.Error: _invalid_base64,
    body.DuplicateKeyError: _duplicate_key,
    NotFoundError: _no_route,
    ServiceError: _service_error,
    # Retrying later can help: the client is told so. psycopg's connection-level failures
    # reach here untranslated when they happen mid-request.
    TransientError: _database_unavailable,
    psycopg.OperationalError: _database_unavailable,
    Exception: _unexpected,
}
