"""Entry point of the users WebAPI: routes and the error table, nothing else."""

from __future__ import annotations

import warnings
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from pydantic import Field

from sample_api import errors, openapi, web
from sample_api.actions.create_user import create_user
from sample_api.actions.cursor import CURSOR_PATTERN
from sample_api.actions.get_user import get_user
from sample_api.actions.list_users import list_users
from sample_api.schemas import UserOut, UserPage
from shared.db import get_connection
from shared.log import get_logger
from shared.metrics import get_metrics
from shared.models import NewUser  # noqa: TC001 (Powertools reads route annotations at runtime)
from shared.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

get_settings()  # a bad environment fails the cold start, naming the variable
# Reads add no metric, and Powertools warns about an empty flush on every one of them.
warnings.filterwarnings("ignore", message="No application metrics to publish")
logger = get_logger()
app = APIGatewayRestResolver(enable_validation=True, json_body_deserializer=web.load_json_body)
# Powertools keeps its request validator in a private attribute; tests pin the 415 behaviour.
app._request_validation_middleware = web.JsonBodiesOnly()
app.use(middlewares=[web.reads_run_again])


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


errors.install(app)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@get_metrics().log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
