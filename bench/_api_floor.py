"""The API function's floor: the bare handler's work inside what it cannot do without.

Powertools' REST resolver, its Logger (with the Lambda context and the correlation id) and
its Metrics, imported and used as the API function's index.py does (its package registers
Powertools' re-exporting __init__ files lazily). What the function costs above this is its own.
"""

from __future__ import annotations

from typing import Any

# First: Powertools' re-exporting packages registered lazily, as the API function's package does.
from shared.lazy import lazy_powertools

lazy_powertools()

# isort: split
from aws_lambda_powertools.event_handler.api_gateway import (  # noqa: E402
    APIGatewayRestResolver,
    Response,
)
from aws_lambda_powertools.logging.logger import Logger  # noqa: E402
from aws_lambda_powertools.metrics.metrics import Metrics  # noqa: E402

from bench import _api_bare  # noqa: E402

app = APIGatewayRestResolver()
logger = Logger(service="floor", level="WARNING")
metrics = Metrics(namespace="Floor", service="floor")


@app.get("/users")
def list_users() -> Response[str]:
    reply = _api_bare._list_users(app.current_event.query_string_parameters)
    return Response(reply["statusCode"], "application/json", reply["body"], reply["headers"])


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    try:
        return app.resolve(event, context)
    finally:
        if metrics.metric_set:
            metrics.flush_metrics()
