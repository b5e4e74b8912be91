"""CloudWatch metrics in embedded metric format (Powertools Metrics), one set per function.

Names used by both functions and by docs/operations.md:
- sample_api:   UsersCreated
- sample_event: RowsImported, RowsRejected, RowsDuplicate, ImportDuration, ImportsFailed
- both:         DatabaseReconnects
"""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

from shared.settings import get_settings

__all__ = ["MetricUnit", "get_metrics", "record_reconnect"]


@cache
def get_metrics() -> Metrics:
    """The environment's metrics, flushed by the handler's @log_metrics decorator.

    In POWERTOOLS_METRICS_NAMESPACE, with `service` = POWERTOOLS_SERVICE_NAME, as Powertools
    documents them; settings supplies the defaults when they are unset.
    """
    settings = get_settings()
    return Metrics(namespace=settings.metrics_namespace, service=settings.service_name)


def record_reconnect() -> None:
    """Count a database connection that had to be reopened because the server dropped it."""
    get_metrics().add_metric(name="DatabaseReconnects", unit=MetricUnit.Count, value=1)
