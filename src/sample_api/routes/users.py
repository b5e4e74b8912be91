"""The /users resource: its routes, and the statuses of its own errors.

Each route takes typed parameters, calls one action and returns its response. The signature
is the contract twice: params.parsed reads the request by it, and /openapi.json publishes it.
Parameters are ints and strs with Constraints (no pydantic), so GET imports no pydantic; the
body is a pydantic model, imported by the first POST (or the document).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Response  # noqa: TC002 (read at runtime by Powertools)
from aws_lambda_powertools.event_handler.api_gateway import Router

from sample_api import openapi, params, web
from sample_api.actions.create_user import create_user
from sample_api.actions.cursor import CURSOR_PATTERN
from sample_api.actions.get_user import get_user
from sample_api.actions.list_users import list_users
from sample_api.constraints import Constraints
from sample_api.errors import EmailTakenError, UserNotFoundError
from sample_api.schemas import UserOut, UserPage
from shared.db import get_connection
from shared.lazy import LazyModule

if TYPE_CHECKING:
    from shared import models
else:
    models = LazyModule("shared.models")  # pydantic: imported when POST's annotation is read

router = Router()  # type: ignore[no-untyped-call]


@router.get(
    "/users",
    operation_id="listUsers",
    responses={200: openapi.ok(UserPage, "a page of users"), **openapi.errors(400)},
)
@params.parsed(router)
def get_users_page(
    limit: Annotated[int, Constraints(ge=1, le=100)] = 20,
    cursor: Annotated[str, Constraints(pattern=CURSOR_PATTERN)] | None = None,
) -> Response[str]:
    return web.json_response(200, list_users(get_connection(), limit=limit, cursor=cursor))


@router.get(
    "/users/<user_id>",
    operation_id=openapi.GET_USER,
    responses={200: openapi.ok(UserOut, "the user"), **openapi.errors(404)},
)
@params.parsed(router)
def get_user_by_id(user_id: Annotated[int, Constraints(ge=1, le=openapi.MAX_ID)]) -> Response[str]:
    return web.json_response(200, get_user(get_connection(), user_id))


@router.post(
    "/users",
    operation_id="createUser",
    responses={201: openapi.created_user(UserOut), **openapi.errors(400, 409, 413, 415)},
)
@params.parsed(router)
def post_user(new_user: models.NewUser) -> Response[str]:
    user = create_user(get_connection(), new_user)
    return web.json_response(201, user, {"Location": f"/users/{user['id']}"})


def _user_not_found(exc: UserNotFoundError) -> Response[str]:
    return web.error_response(404, "user not found")


def _email_taken(exc: EmailTakenError) -> Response[str]:
    errors = [{"field": "body.email", "message": "is already taken"}]
    return web.error_response(409, "email already taken", errors=errors)


# This resource's own errors; the ones every route can meet are in exception_handlers.py.
router.exception_handler(UserNotFoundError)(_user_not_found)
router.exception_handler(EmailTakenError)(_email_taken)
