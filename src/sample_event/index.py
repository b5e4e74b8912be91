"""Entry point of the CSV importer: finds the objects in the event and imports each one.

Wrapped in SQS, each message is one batch item: a message whose import fails transiently is
reported in batchItemFailures and comes back; the others are deleted.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

from sample_event.actions.import_object import import_object
from sample_event.errors import UnsupportedEventError
from sample_event.notifications import json_object, object_refs
from shared.log import get_logger
from shared.metrics import get_metrics
from shared.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from sample_event.models import ObjectRef

get_settings()  # a bad environment fails the cold start, naming the variable
# An ignored key or a re-delivery adds no metric, and Powertools warns about an empty flush.
warnings.filterwarnings("ignore", message="No application metrics to publish")
logger = get_logger()
metrics = get_metrics()
# Given a logger, Powertools logs each failed record as a warning without its message id:
# a second line for a failure _import_message logs once, at error, with the message id.
processor = BatchProcessor(event_type=EventType.SQS)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = event.get("Records") or [{}]
    if records[0].get("eventSource") == "aws:sqs":
        return _sqs_batch(event, context)
    return {"imports": _import_all(object_refs(event), context)}


def _sqs_batch(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response: dict[str, Any] = dict(
        process_partial_response(
            event=event,
            record_handler=_import_message,
            processor=processor,
            context=context,
        )
    )
    return response


def _import_message(record: SQSRecord, lambda_context: LambdaContext) -> list[dict[str, Any]]:
    """One SQS message; its failure is logged once, with the message id (for the DLQ's reader)."""
    logger.append_keys(message_id=record.message_id)
    try:
        try:
            refs = object_refs(json_object(record.body))
        except Exception as exc:
            # The message itself is wrong: each delivery fails alike, until the dead-letter queue.
            reason = str(exc) if isinstance(exc, UnsupportedEventError) else type(exc).__name__
            logger.error(
                "message failed, retrying cannot help",
                extra={"failure": "permanent", "reason": reason},
            )
            raise
        return _import_all(refs, lambda_context)  # an import logs its own failure, once
    finally:
        logger.remove_keys(["message_id"])


def _import_all(refs: list[ObjectRef], context: LambdaContext) -> list[dict[str, Any]]:
    results = []
    for ref in refs:
        summary = import_object(ref, remaining_ms=context.get_remaining_time_in_millis())
        if summary is not None:
            results.append(
                {"key": ref.key, "status": summary.status, "import_id": summary.import_id}
            )
    return results
