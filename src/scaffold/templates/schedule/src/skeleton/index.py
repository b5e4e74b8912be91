"""Entry point of the skeleton job: EventBridge invokes it on its schedule.

The invocation is asynchronous: Lambda retries a failure twice, then sends the event to the
function's dead-letter queue. The job is done once per scheduled time (the event's `time`),
so a retry or a second delivery of the same event does nothing more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.log import get_logger
from shared.settings import get_settings

from .actions.run_job import run_job
from .scheduled_event import scheduled_time

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

get_settings()  # a bad environment fails the cold start, naming the variable
logger = get_logger()


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return run_job(scheduled_time(event))
