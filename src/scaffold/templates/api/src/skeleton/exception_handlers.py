"""The errors every route can meet, to their statuses; a 5xx body shows no internals.

Handlers match along each exception's MRO: the framework's own errors are listed explicitly,
or the catch-all would swallow them. The routes' own errors are next to the routes.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import psycopg
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from shared.errors import DatabaseUnavailableError
from shared.log import get_logger

from .web import error_response

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

logger = get_logger()
_RETRY_AFTER_SECONDS = "5"


def _invalid_request(exc: RequestValidationError) -> Response[dict[str, Any]]:
    errors = list(exc.errors())
    if any(error.get("type") == "json_invalid" for error in errors):
        return error_response(400, "request body is not valid JSON")
    fields = [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())),
            "message": str(error.get("msg", "is not valid")).removeprefix("Value error, "),
        }
        for error in errors
    ]
    return error_response(422, "request is not valid", errors=fields)


def _service_error(exc: ServiceError) -> Response[dict[str, Any]]:
    # The framework's own answers: 404 for an unknown path, and the like.
    return error_response(exc.status_code, str(exc.msg))


def _database_unavailable(app: APIGatewayRestResolver, exc: Exception) -> Response[dict[str, Any]]:
    # The type says what happened; the message could name hosts or sockets.
    logger.warning("database unavailable", extra={"error": type(exc.__cause__ or exc).__name__})
    return error_response(
        503,
        "the database is unavailable, retry later",
        request_id=_request_id(app),
        headers={"Retry-After": _RETRY_AFTER_SECONDS},
    )


def _unexpected(app: APIGatewayRestResolver, exc: Exception) -> Response[dict[str, Any]]:
    logger.exception("unhandled error")
    return error_response(500, "internal error", request_id=_request_id(app))


def _request_id(app: APIGatewayRestResolver) -> str:
    try:
        return str(app.current_event.request_context.request_id)
    except (KeyError, TypeError, AttributeError):
        return str(getattr(app.lambda_context, "aws_request_id", "unknown"))


def install(app: APIGatewayRestResolver) -> None:
    """Register the table on the resolver."""
    unavailable = [DatabaseUnavailableError, psycopg.OperationalError]
    app.exception_handler(RequestValidationError)(_invalid_request)
    app.exception_handler(ServiceError)(_service_error)
    app.exception_handler(unavailable)(partial(_database_unavailable, app))
    app.exception_handler(Exception)(partial(_unexpected, app))
