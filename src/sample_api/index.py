"""Entry point of the users WebAPI: the resolver, its routers and error table, nothing else."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from sample_api import body, exception_handlers, openapi, snapstart, web
from sample_api.routes import users
from shared.log import get_logger
from shared.metrics import get_metrics
from shared.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

get_settings()  # a bad environment fails the cold start, naming the variable
logger = get_logger()
metrics = get_metrics()
# No enable_validation: routes read their parameters through params.parsed, so that GET
# imports no pydantic (the body model of a POST does, on its first call).
app = APIGatewayRestResolver(json_body_deserializer=body.load_json_body)
app.use(middlewares=[web.reads_run_again])
ROUTERS = (users.router,)
for router in ROUTERS:
    app.include_router(router)


@app.get("/openapi.json", include_in_schema=False)
def get_openapi() -> Response[str]:
    return Response(200, "application/json", _openapi_document())


@cache
def _openapi_document() -> str:
    return openapi.document(ROUTERS)


exception_handlers.install(app)
snapstart.register(app, _openapi_document)  # only where SnapStart can run the hooks


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # What correlation_id_path=API_GATEWAY_REST and @log_metrics do, minus two costs every
    # request paid: a jmespath search for the request id, and an empty flush (reads add no
    # metric) that warned. bench/bench_api.py, warm.
    logger.set_correlation_id((event.get("requestContext") or {}).get("requestId"))
    try:
        return app.resolve(event, context)
    finally:
        if metrics.metric_set:
            metrics.flush_metrics()
