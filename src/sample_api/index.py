"""Entry point of the users WebAPI: routes and the error table, nothing else."""

from __future__ import annotations

import binascii
import warnings
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

import psycopg
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from sample_api import openapi, web
from sample_api.actions.create_user import create_user
from sample_api.actions.cursor import CURSOR_PATTERN
from sample_api.actions.get_user import get_user
from sample_api.actions.list_users import list_users
from sample_api.schemas import UserOut, UserPage
from shared.db import get_connection
from shared.errors import (
    DatabaseUnavailableError,
    EmailTakenError,
    InvalidCursorError,
    UserNotFoundError,
)
from shared.log import get_logger
from shared.metrics import get_metrics
from shared.models import NewUser  # noqa: TC001 (Powertools reads route annotations at runtime)
from shared.settings import get_settings

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_lambda_powertools.utilities.typing import LambdaContext

get_settings()  # a bad environment fails the cold start, naming the variable
# Reads add no metric, and Powertools warns about an empty flush on every one of them.
warnings.filterwarnings("ignore", message="No application metrics to publish")
logger = get_logger()
app = APIGatewayRestResolver(enable_validation=True, json_body_deserializer=web.load_json_body)
# Powertools keeps its request validator in a private attribute; tests pin the 415 behaviour.
app._request_validation_middleware = web.JsonBodiesOnly()

_RETRY_AFTER_SECONDS = "5"


# Bounds go in Field(), next to Query()/Path(): with a validator beside them, that is how
# they still reach /openapi.json as minimum/maximum.
@app.get(
    "/users",
    operation_id="listUsers",
    responses={200: openapi.ok(UserPage, "a page of users"), **openapi.errors(400)},
)
def get_users(
    limit: Annotated[int, Query(), Field(ge=1, le=100), web.DECIMAL_ONLY] = 20,
    cursor: Annotated[str | None, Query(), Field(pattern=CURSOR_PATTERN)] = None,
) -> Response[str]:
    return web.json_response(200, list_users(get_connection(), limit=limit, cursor=cursor))


@app.get(
    "/users/<user_id>",
    operation_id=openapi.GET_USER,
    responses={200: openapi.ok(UserOut, "the user"), **openapi.errors(404)},
)
def get_users_by_id(
    user_id: Annotated[int, Path(), Field(ge=1, le=openapi.MAX_ID), web.DECIMAL_ONLY],
) -> Response[str]:
    return web.json_response(200, get_user(get_connection(), user_id))


@app.post(
    "/users",
    operation_id="createUser",
    responses={201: openapi.created_user(UserOut), **openapi.errors(400, 409, 413, 415)},
)
def post_users(new_user: Annotated[NewUser, Body()]) -> Response[str]:
    user = create_user(get_connection(), new_user)
    return web.json_response(201, user, {"Location": f"/users/{user['id']}"})


@app.get("/openapi.json", include_in_schema=False)
def get_openapi() -> Response[str]:
    return Response(200, "application/json", _openapi_document())


@cache
def _openapi_document() -> str:
    return openapi.document(app)


# Error handlers; the table below maps each exception type to one of them.
def _invalid_request(exc: RequestValidationError) -> Response[str]:
    errors = list(exc.errors())
    if any(error.get("type") == "json_invalid" for error in errors):
        return web.error_response(400, "request body is not valid JSON")
    return web.error_response(422, "request is not valid", errors=web.field_errors(errors))


def _unsupported_content_type(exc: Exception) -> Response[str]:
    return web.error_response(415, "send the body as application/json")


def _undecodable_body(exc: Exception) -> Response[str]:
    return web.error_response(400, "request body is not valid UTF-8")


def _invalid_cursor(exc: Exception) -> Response[str]:
    errors = [{"field": "query.cursor", "message": "is not a cursor this API issued"}]
    return web.error_response(400, "cursor is not valid", errors=errors)


def _user_not_found(exc: Exception) -> Response[str]:
    return web.error_response(404, "user not found")


def _email_taken(exc: Exception) -> Response[str]:
    errors = [{"field": "body.email", "message": "is already taken"}]
    return web.error_response(409, "email already taken", errors=errors)


def _no_route(exc: Exception) -> Response[str]:
    allowed = web.allowed_methods(app, app.current_event.path)
    if allowed:
        return web.error_response(405, "method not allowed", headers={"Allow": ", ".join(allowed)})
    return web.error_response(404, "not found")


def _service_error(exc: ServiceError) -> Response[str]:
    return web.error_response(exc.status_code, str(exc.msg))


def _database_unavailable(exc: Exception) -> Response[str]:
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


def _unexpected(exc: Exception) -> Response[str]:
    logger.exception("unhandled error")
    return web.error_response(500, "internal error", request_id=web.request_id(app))


# Handlers match along each exception's MRO, so the framework's own errors are listed
# explicitly: the catch-all Exception would otherwise swallow them.
_ERROR_TABLE: dict[type[Exception], Callable[[Any], Response[str]]] = {
    RequestValidationError: _invalid_request,
    RequestUnsupportedContentType: _unsupported_content_type,
    UnicodeDecodeError: _undecodable_body,
    binascii.Error: _undecodable_body,
    InvalidCursorError: _invalid_cursor,
    UserNotFoundError: _user_not_found,
    EmailTakenError: _email_taken,
    NotFoundError: _no_route,
    ServiceError: _service_error,
    DatabaseUnavailableError: _database_unavailable,
    psycopg.OperationalError: _database_unavailable,
    Exception: _unexpected,
}
for _exc_type, _respond in _ERROR_TABLE.items():
    app.exception_handler(_exc_type)(_respond)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@get_metrics().log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
