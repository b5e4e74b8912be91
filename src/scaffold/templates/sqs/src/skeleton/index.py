"""Entry point of the skeleton consumer: each message of a batch is recorded on its own.

A message that can never be recorded (not JSON, invalid fields) is kept as rejected and logged
once, and not retried. Any other failure (the database is down) reports the message in
batchItemFailures: SQS delivers it again, and after maxReceiveCount moves it to the DLQ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

from shared.log import get_logger
from shared.settings import get_settings

from .actions.record_message import record_message

if TYPE_CHECKING:
    import logging

    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

get_settings()  # a bad environment fails the cold start, naming the variable
logger = get_logger()
# With the function's logger, the processor logs every failed record with its traceback and
# the message id that record_handler() appends. A batch that fails whole is reported too.
processor = BatchProcessor(
    event_type=EventType.SQS,
    raise_on_entire_batch_failure=False,
    logger=cast("logging.Logger", logger),  # Powertools' Logger has the methods it calls
)


def record_handler(record: SQSRecord) -> None:
    logger.append_keys(message_id=record.message_id)
    record_message(record.message_id, record.body)


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response: dict[str, Any] = dict(
        process_partial_response(
            event=event,
            record_handler=record_handler,
            processor=processor,
            context=context,
        )
    )
    return response
