"""Entry point of the profiles mirror: a batch of DynamoDB stream records, applied in order.

Each record that fails is reported in batchItemFailures by its SequenceNumber (the event
source mapping has ReportBatchItemFailures on); Lambda retries from the lowest one reported.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

from sample_stream.actions.apply_change import ChangeBatch
from shared.log import get_logger
from shared.metrics import get_metrics
from shared.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

get_settings()  # a bad environment fails the cold start, naming the variable
# Most batches add no metric, and Powertools warns about an empty flush on every one of them.
warnings.filterwarnings("ignore", message="No application metrics to publish")
logger = get_logger()
metrics = get_metrics()
# No logger= here: the action logs each failed record once, with its sequence number and
# reason. Given the logger, Powertools adds a second line per failure, a warning without the
# record's id that says "skipping this record", which a stream never does.
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return dict(
        process_partial_response(
            event=event, record_handler=ChangeBatch(), processor=processor, context=context
        )
    )
