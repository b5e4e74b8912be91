"""Schemathesis drives the API from its own /openapi.json: no 500, answers match the document.

Requests go through the local gateway's event translation (HTTP -> API Gateway proxy event
-> the real handler), so what is fuzzed is what API Gateway would deliver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from werkzeug.wrappers import Request

from localcloud import apigw
from localcloud.context import LocalContext

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from tests.sample_api.conftest import Invoke


@pytest.fixture
def api_schema(api: Invoke) -> Any:
    """The API's own document, loaded over WSGI from the real handler."""
    from sample_api.index import handler

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        event = apigw.to_event(request, request.get_data())
        response = apigw.to_response(handler(event, LocalContext(function_name="sample_api")))
        result: Iterable[bytes] = response(environ, start_response)
        return result

    return schemathesis.openapi.from_wsgi("/openapi.json", wsgi)


def test_api_answers_every_generated_request_as_documented(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 3
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case: Any) -> None:
            # Data the schema allows may still be refused on purpose (control characters in
            # a name, an email already taken): so no positive_data_acceptance check.
            case.call_and_validate(excluded_checks=[checks.positive_data_acceptance])

        answers_as_documented()
