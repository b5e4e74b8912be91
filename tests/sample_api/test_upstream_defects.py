"""Defects of the locked Powertools that sample_api works around (docs/operations.md).

Each test reproduces the defect on a bare resolver and passes while it is there: when an
upgrade makes one fail, the defect is fixed upstream and its workaround can go.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel


class _User(BaseModel):
    name: str


def test_powertools_still_unwraps_a_list_body_into_its_first_element() -> None:
    # Workaround: sample_api/body.py refuses a body that is not one JSON object.
    app = APIGatewayRestResolver(enable_validation=True)

    @app.post("/users")
    def create(user: Annotated[_User, Body()]) -> dict[str, Any]:
        return user.model_dump()

    event = {"httpMethod": "POST", "path": "/users", "body": '[{"name": "A"}, {"name": "B"}]'}
    response = app.resolve(event, None)  # type: ignore[arg-type]
    assert (response["statusCode"], response["body"]) == (200, '{"name":"A"}')
