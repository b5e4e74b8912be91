"""The responses the routes and the error table build: JSON, and one shape for errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response, content_types

if TYPE_CHECKING:
    from collections.abc import Mapping


def created(body: dict[str, Any], location: str) -> Response[dict[str, Any]]:
    """201 with the created resource and where to find it."""
    headers = {"Location": location}
    return Response(201, content_types.APPLICATION_JSON, body, headers)


def error_response(
    status: int,
    message: str,
    *,
    errors: list[dict[str, str]] | None = None,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[dict[str, Any]]:
    """The one error body: a message, the fields that failed, the request id of a 5xx."""
    body: dict[str, Any] = {"message": message}
    if errors is not None:
        body["errors"] = errors
    if request_id is not None:
        body["request_id"] = request_id
    return Response(status, content_types.APPLICATION_JSON, body, dict(headers or {}))
