"""Request bodies: JSON only, one object, within a size limit, validated by the route's model.

Powertools' own body reading also parses form and multipart bodies into the model (a form
POST got a 422 about missing fields, a multipart type with no boundary a 500), refuses
"Application/JSON", and unwraps a list into its first element ([user, other] was a 201 that
dropped the other: docs/operations.md). Found by schemathesis; the document declares
application/json only, so everything else is a 415 and a body that is not an object a 422.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler.exceptions import RequestEntityTooLargeError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

MAX_BODY_BYTES = 64 * 1024


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


def validated(event: BaseProxyEvent, model: Any, errors: list[dict[str, Any]]) -> Any:
    """The body as `model` (a pydantic model); its validation errors are added to `errors`.

    Raises RequestUnsupportedContentType (415) for another media type, what load_json_body
    raises, and RequestValidationError for a body that is not JSON (400) or not an object (422).
    """
    content_type = event.headers.get("content-type", "")
    # Media types ignore case: "Application/JSON" is JSON.
    if content_type.partition(";")[0].strip().lower() not in {"", "application/json"}:
        raise RequestUnsupportedContentType("send the body as application/json", errors=[])
    try:
        data = event.json_body  # parsed by load_json_body, the resolver's deserializer
    except json.JSONDecodeError as exc:
        error = {"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error"}
        raise RequestValidationError([error], body=exc.doc) from exc
    if not isinstance(data, dict):
        error = {"type": "dict_type", "loc": ("body",), "msg": "must be a JSON object"}
        raise RequestValidationError([error])
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors.extend({**error, "loc": ("body", *error["loc"])} for error in exc.errors())
        return None


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
