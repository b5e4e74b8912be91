"""The /users resource: its routes, and the statuses of its own errors.

Each route takes typed parameters (validated, and published in /openapi.json), calls one action
and returns its response. Bounds go in Field(), next to Query()/Path(): with a validator beside
them, that is how they still reach /openapi.json as minimum/maximum.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response  # noqa: TC002 (read at runtime by Powertools)
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from pydantic import Field

from sample_api import openapi, web
from sample_api.actions.create_user import create_user
from sample_api.actions.cursor import CURSOR_PATTERN
from sample_api.actions.get_user import get_user
from sample_api.actions.list_users import list_users
from sample_api.errors import EmailTakenError, UserNotFoundError
from sample_api.schemas import UserOut, UserPage
from shared.db import get_connection
from shared.models import NewUser  # noqa: TC001 (Powertools reads route annotations at runtime)

router = Router()  # type: ignore[no-untyped-call]


@router.get(
    "/users",
    operation_id="listUsers",
    responses={200: openapi.ok(UserPage, "a page of users"), **openapi.errors(400)},
)
def get_users_page(
    limit: Annotated[int, Query(), Field(ge=1, le=100), web.DECIMAL_ONLY] = 20,
    cursor: Annotated[str | None, Query(), Field(pattern=CURSOR_PATTERN)] = None,
) -> Response[str]:
    return web.json_response(200, list_users(get_connection(), limit=limit, cursor=cursor))


@router.get(
    "/users/<user_id>",
    operation_id=openapi.GET_USER,
    responses={200: openapi.ok(UserOut, "the user"), **openapi.errors(404)},
)
def get_user_by_id(
    user_id: Annotated[int, Path(), Field(ge=1, le=openapi.MAX_ID), web.DECIMAL_ONLY],
) -> Response[str]:
    return web.json_response(200, get_user(get_connection(), user_id))


@router.post(
    "/users",
    operation_id="createUser",
    responses={201: openapi.created_user(UserOut), **openapi.errors(400, 409, 413, 415)},
)
def post_user(new_user: Annotated[NewUser, Body()]) -> Response[str]:
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
