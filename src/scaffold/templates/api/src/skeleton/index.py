"""Entry point of the skeleton API: resolver, router, error table; nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.logging import correlation_paths

from shared.log import get_logger
from shared.settings import get_settings

from . import exception_handlers
from .routes import skeleton

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

get_settings()  # a bad environment fails the cold start, naming the variable
logger = get_logger()
app = APIGatewayRestResolver(enable_validation=True)
app.include_router(skeleton.router)
exception_handlers.install(app)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
