"""Entry point of the users WebAPI: the resolver, its routers and error table, nothing else."""

from __future__ import annotations

import warnings
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths

from sample_api import exception_handlers, openapi, web
from sample_api.routes import users
from shared.log import get_logger
from shared.metrics import get_metrics
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
app.include_router(users.router)


@app.get("/openapi.json", include_in_schema=False)
def get_openapi() -> Response[str]:
    return Response(200, "application/json", _openapi_document())


@cache
def _openapi_document() -> str:
    return openapi.document(app)


exception_handlers.install(app)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@get_metrics().log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
