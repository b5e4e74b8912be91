"""Entry point of the skeleton recorder: S3 notifications, one per SQS message, batched.

Each object a notification names is recorded once per version. A message that is no S3
notification is logged once and dropped: no retry can fix it. Any other failure (S3 or the
database unreachable) reports the message in batchItemFailures, so that SQS delivers it
again, and after maxReceiveCount moves it to the dead-letter queue.
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

from .actions.record_object import record_object
from .errors import NotANotificationError
from .notifications import object_refs

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
    try:
        refs = object_refs(record.body)
    except NotANotificationError as exc:
        # The one log line of this message: its id and why; never its body.
        logger.error("message dropped, not retried", extra={"reason": str(exc)})
        return
    for ref in refs:
        record_object(ref)


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
