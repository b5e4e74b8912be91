"""The migrations function: applies migrations/ from inside the VPC (`make deploy` invokes it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migrator.apply import apply_migrations
from shared.conninfo import conninfo
from shared.log import get_logger
from shared.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = get_logger()


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Apply what is pending; returns the ids applied. Failures raise, so the deploy stops."""
    applied = apply_migrations(conninfo(get_settings()))
    logger.info("migrations applied", extra={"applied": applied, "count": len(applied)})
    return {"applied": applied}
