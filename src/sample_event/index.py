"""Entry point of the CSV importer: finds the objects in the event and imports each one.

Wrapped in SQS, each message is one batch item: a message whose import fails transiently is
reported in batchItemFailures and comes back; the others are deleted.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sample_event.actions.import_object import import_object
from sample_event.notifications import object_refs
from shared.log import get_logger
from shared.metrics import get_metrics
from shared.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

get_settings()  # a bad environment fails the cold start, naming the variable
logger = get_logger()
metrics = get_metrics()


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = event.get("Records") or [{}]
    if records[0].get("eventSource") == "aws:sqs":
        return _sqs_batch(event, context)
    return {"imports": _import_all(event, context)}


def _sqs_batch(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Imported here: the batch utility is only needed when the trigger is SQS.
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    def record_handler(record: SQSRecord) -> list[dict[str, Any]]:
        return _import_all(json.loads(record.body), context)

    response: dict[str, Any] = dict(
        process_partial_response(
            event=event,
            record_handler=record_handler,
            processor=BatchProcessor(event_type=EventType.SQS),
            context=context,
        )
    )
    return response


def _import_all(payload: dict[str, Any], context: LambdaContext) -> list[dict[str, Any]]:
    results = []
    for ref in object_refs(payload):
        summary = import_object(ref, remaining_ms=context.get_remaining_time_in_millis())
        if summary is not None:
            results.append(
                {"key": ref.key, "status": summary.status, "import_id": summary.import_id}
            )
    return results
