"""The OpenAPI document: responses and links for each route, and the document served."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from sample_api.schemas import ErrorOut

if TYPE_CHECKING:
    from collections.abc import Iterable

    from aws_lambda_powertools.event_handler.api_gateway import Router
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

MAX_ID = 2**63 - 1  # PostgreSQL bigint: ids above it cannot exist
GET_USER = "getUser"

# The rules of NewUser (shared/models.py) as patterns, so that the document says exactly what
# the API accepts: "schema-valid" and "accepted" agree both ways, which the fuzzer's
# positive_data_acceptance and negative_data_rejection checks hold us to.
# - name: no control characters (Cc), and 1..100 characters once the
#   whitespace that str.strip() removes is trimmed from both ends. maxLength alone cannot say
#   that (the contract trims), so the pattern spells it out; the raw maxLength cap stays.
# Lone surrogates (which JSON can carry and UTF-8 cannot) are refused too, but are left out:
# they are not Unicode scalar values, so no JSON Schema regex engine can name them.
_CONTROL = r"\u0000-\u001f\u007f-\u009f"
# str.isspace() minus the control characters above: what strip() can remove from a valid name.
_SPACE = r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_VISIBLE = f"[^{_CONTROL}{_SPACE}]"
NAME_PATTERN = f"^[{_SPACE}]*{_VISIBLE}(?:[^{_CONTROL}]{{0,98}}{_VISIBLE})?[{_SPACE}]*$"
# - email: the HTML Standard's valid email address with RFC 5321's dot-atom local part (no
#   leading, trailing or doubled dot), which format: email (RFC 5321) also demands; format:
#   email adds the 64-character limit of the local part, maxLength the 254 of the address.
_ATOM = "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
EMAIL_PATTERN = rf"^{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*$"

# "required" is OpenAPI's, though Powertools' header type omits it.
_RETRY_AFTER: Any = {
    "description": "seconds to wait before retrying",
    "schema": {"type": "integer", "minimum": 1},
    "required": True,
}
_LOCATION: Any = {
    "description": "the new user's path",
    "schema": {"type": "string", "pattern": "^/users/[1-9][0-9]*$"},
    "required": True,
}


def ok(model: type, description: str, **extra: Any) -> OpenAPIResponse:
    """A success response with a JSON body described by `model` (and headers, links)."""
    response: OpenAPIResponse = {
        "description": description,
        "content": {"application/json": {"model": model}},
    }
    response.update(extra)  # type: ignore[typeddict-item]
    return response


def no_content(description: str) -> OpenAPIResponse:
    """A response without a body (204, with web.no_content): an empty content map says so.

    Without one, Powertools documents the route's return annotation as a JSON body, and a
    client (or the fuzzer) would expect JSON in the empty response.
    """
    return {"description": description, "content": {}}


def created_user(model: type) -> OpenAPIResponse:
    """201 from POST /users: the user, its Location, and the link a client follows to it."""
    link = {"operationId": GET_USER, "parameters": {"user_id": "$response.body#/id"}}
    return ok(
        model,
        "the created user",
        headers={"Location": _LOCATION},
        links={"GetCreatedUser": link},
    )


def errors(*codes: int) -> dict[int, OpenAPIResponse]:
    """Error responses: the route's own codes, plus 422, 500 and 503 that every route can give."""
    documented: dict[int, OpenAPIResponse] = {}
    for code in sorted({*codes, 422, 500, 503}):
        documented[code] = ok(ErrorOut, HTTPStatus(code).phrase)
    documented[503]["headers"] = {"Retry-After": _RETRY_AFTER}
    return documented


def document(routers: Iterable[Router]) -> str:
    """The served document, its numeric bounds made exact (Powertools stores them as floats).

    Written by a resolver of its own that validates (pydantic is imported here, on the first
    request for the document): the serving one does not, and Powertools documents the 422
    of a validating resolver first in each operation, as this document always has.
    """
    import json

    from aws_lambda_powertools.event_handler.api_gateway import APIGatewayRestResolver

    documenting = APIGatewayRestResolver(enable_validation=True)
    for router in routers:
        serving = router.api_resolver
        documenting.include_router(router)
        router.api_resolver = serving  # the router's routes still run on the serving resolver
    schema = documenting.get_openapi_schema(title="Users API", version="1.0.0")
    raw = schema.model_dump(mode="json", by_alias=True, exclude_none=True)
    new_user = raw["components"]["schemas"]["NewUser"]["properties"]
    new_user["name"]["pattern"] = NAME_PATTERN
    new_user["email"]["pattern"] = EMAIL_PATTERN
    return json.dumps(_exact_bounds(raw), separators=(",", ":"))


def _exact_bounds(node: Any) -> Any:
    # float(2**63 - 1) is 2**63: a fuzzer would send that id and be told it is out of range.
    if isinstance(node, dict):
        return {key: _exact_bound(key, _exact_bounds(value)) for key, value in node.items()}
    if isinstance(node, list):
        return [_exact_bounds(item) for item in node]
    return node


def _exact_bound(key: str, value: Any) -> Any:
    if key not in {"minimum", "maximum"} or not isinstance(value, float) or not value.is_integer():
        return value
    return MAX_ID if value == float(MAX_ID) else int(value)
