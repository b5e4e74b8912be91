"""params.parsed reads a request as Powertools' validation of the same contract did.

The reference is the contract as written before GET stopped importing pydantic: Query, Path
and Body markers with pydantic Field constraints, checked by a validating resolver. The same
events go to it and to the real routes' signatures, read by params.parsed: status, headers and
body must be equal for every value hypothesis makes, and both are documented alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import pytest
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BeforeValidator, Field

from sample_api import body, openapi, params, web
from sample_api.actions.cursor import CURSOR_PATTERN
from sample_api.routes import users
from shared.models import NewUser
from tests.fixtures.events import load_event


def _decimal_only(value: object) -> object:
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("must be a whole number written in digits")
    return value


DECIMAL_ONLY = BeforeValidator(_decimal_only)  # what routes/users.py used to declare
MAX_ID = openapi.MAX_ID


def _answer(**arguments: Any) -> Response[str]:
    shown = {k: v.model_dump() if isinstance(v, NewUser) else v for k, v in arguments.items()}
    return web.json_response(200, shown)


reference = Router()  # type: ignore[no-untyped-call]


@reference.get("/users")
def _page(
    limit: Annotated[int, Query(), Field(ge=1, le=100), DECIMAL_ONLY] = 20,
    cursor: Annotated[str | None, Query(), Field(pattern=CURSOR_PATTERN)] = None,
) -> Response[str]:
    return _answer(limit=limit, cursor=cursor)


@reference.get("/users/<user_id>")
def _one(user_id: Annotated[int, Path(), Field(ge=1, le=MAX_ID), DECIMAL_ONLY]) -> Response[str]:
    return _answer(user_id=user_id)


@reference.post("/users")
def _create(new_user: Annotated[NewUser, Body()]) -> Response[str]:
    return _answer(new_user=new_user)


def _answering_as(route: Any) -> Any:
    """A route function with the signature of a real one, that answers with its arguments."""

    def answer(**arguments: Any) -> Response[str]:
        return _answer(**arguments)

    answer.__signature__ = route.__signature__  # type: ignore[attr-defined]
    return answer


real = Router()  # type: ignore[no-untyped-call]
real.get("/users")(params.parsed(real)(_answering_as(users.get_users_page)))
real.get("/users/<user_id>")(params.parsed(real)(_answering_as(users.get_user_by_id)))
real.post("/users")(params.parsed(real)(_answering_as(users.post_user)))


Answer = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def same_answer(database_url: str) -> Answer:
    """Check that the reference and the real signatures answer an event alike."""
    from sample_api import exception_handlers  # its logger reads the settings

    def resolver(router: Router, *, validating: bool) -> APIGatewayRestResolver:
        app = APIGatewayRestResolver(
            enable_validation=validating, json_body_deserializer=body.load_json_body
        )
        app.include_router(router)
        exception_handlers.install(app)
        return app

    validating, parsing = resolver(reference, validating=True), resolver(real, validating=False)

    def check(event: dict[str, Any]) -> None:
        # A copy: Powertools' validation rewrites the event's multi-value query map in place.
        expected = validating.resolve(json.loads(json.dumps(event)), None)  # type: ignore[arg-type]
        assert parsing.resolve(event, None) == expected  # type: ignore[arg-type]

    return check


_DIGITS = st.builds(
    lambda zeros, digits: "0" * zeros + digits,
    st.sampled_from([0, 0, 1, 3]),
    st.text("0123456789", max_size=25),
)
_HUGE = st.sampled_from(["9" * 4300, "9" * 4301, "09" + "9" * 4300, "0" * 5000 + "7", "0" * 4400])
_TEXT = st.one_of(
    _DIGITS,
    _HUGE,
    st.text(max_size=15),
    st.from_regex(CURSOR_PATTERN, fullmatch=True),
    st.sampled_from(["AAAAAAAAAAA\n", "\ud800", "1,2", "+1", " 1", "1_0", "١٢", "1e3"]),
)
# A list is a parameter sent several times: API Gateway keeps the last in the single-value map.
_VALUE = st.one_of(_TEXT, st.lists(_TEXT, min_size=2, max_size=3))


@given(
    query=st.dictionaries(st.sampled_from(["limit", "cursor", "other"]), _VALUE, max_size=3),
    single_values_only=st.booleans(),
)
@example(query={"limit": "1,2", "cursor": "a,b"}, single_values_only=True)
@example(query={"limit": ["5", "6"], "cursor": ["AAAAAAAAAAA", "x"]}, single_values_only=False)
@example(query={"limit": "9" * 4301}, single_values_only=False)
@example(query={"limit": "09" + "9" * 4300}, single_values_only=False)
@example(query={"cursor": "\ud800AAAAAAAAAA"}, single_values_only=False)
@example(query={"cursor": "AAAAAAAAAAA\n"}, single_values_only=False)
@settings(deadline=None)
def test_query_parameters_are_refused_and_read_as_validation_did(
    same_answer: Answer, query: dict[str, Any], single_values_only: bool
) -> None:
    event = load_event("get_users")
    event["queryStringParameters"] = {
        name: value[-1] if isinstance(value, list) else value for name, value in query.items()
    } or None
    event["multiValueQueryStringParameters"] = None
    if not single_values_only and query:
        event["multiValueQueryStringParameters"] = {
            name: value if isinstance(value, list) else [value] for name, value in query.items()
        }
    same_answer(event)


@given(user_id=_TEXT.filter(lambda text: text and "/" not in text))
@settings(deadline=None)
def test_path_parameters_are_refused_and_read_as_validation_did(
    same_answer: Answer, user_id: str
) -> None:
    event = load_event("get_user")
    event["path"] = f"/users/{user_id}"
    same_answer(event)


_FIELD = st.one_of(
    st.text(max_size=12),
    st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.com", fullmatch=True),
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=2),
)


@given(st.dictionaries(st.sampled_from(["name", "email", "extra"]), _FIELD, max_size=3))
@settings(deadline=None)
def test_json_object_bodies_are_refused_and_read_as_validation_did(
    same_answer: Answer, data: dict[str, Any]
) -> None:
    event = load_event("post_user")
    event["body"] = json.dumps(data)
    same_answer(event)


def test_parameters_and_bodies_are_documented_as_the_validated_contract_was() -> None:
    def operations(document: str) -> dict[str, Any]:
        paths = json.loads(document)["paths"]
        return {
            (path, method): {key: operation.get(key) for key in ("parameters", "requestBody")}
            for path, methods in paths.items()
            for method, operation in methods.items()
        }

    assert operations(openapi.document([users.router])) == operations(openapi.document([reference]))
