"""Entry point of the skeleton mirror: DynamoDB stream records, applied in order.

Each record that fails is reported in batchItemFailures by its SequenceNumber (the event
source mapping has ReportBatchItemFailures on): Lambda retries from the lowest one reported,
and after the retries the stack allows, sends the batch's metadata to the on-failure queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

from shared.log import get_logger
from shared.settings import get_settings

from .actions.apply_change import ChangeBatch

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

get_settings()  # a bad environment fails the cold start, naming the variable
logger = get_logger()
# No logger= here: the action logs each failed record once, with its sequence number and
# reason. Given the logger, Powertools adds a second line per failure, a warning without the
# record's id that says "skipping this record", which a stream never does.
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response: dict[str, Any] = dict(
        process_partial_response(
            event=event,
            record_handler=ChangeBatch(),
            processor=processor,
            context=context,
        )
    )
    return response
