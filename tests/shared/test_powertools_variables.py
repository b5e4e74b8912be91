"""POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME, as documented.

Each case runs in a fresh interpreter, as a cold start reads its environment: the function's
logger and metrics (shared/log.py, shared/metrics.py) write one line at each level and one
metric, and the test reads what reached stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from stackspec.model import ROOT

EMIT = """
from shared.log import get_logger
from shared.metrics import MetricUnit, get_metrics
logger = get_logger()
for level in ("debug", "info", "warning", "error"):
    getattr(logger, level)(level)
metrics = get_metrics()
metrics.add_metric(name="Probe", unit=MetricUnit.Count, value=1)
metrics.flush_metrics()
"""
# Variables of the test run that would decide these knobs: each case sets its own.
KNOBS = (
    "POWERTOOLS_LOG_LEVEL",
    "LOG_LEVEL",
    "AWS_LAMBDA_LOG_LEVEL",
    "POWERTOOLS_METRICS_NAMESPACE",
    "POWERTOOLS_METRICS_DISABLED",
    "POWERTOOLS_SERVICE_NAME",
    "AWS_LAMBDA_FUNCTION_NAME",
)


def emitted(**variables: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The log records and the EMF documents one cold start prints with these variables."""
    env = {k: v for k, v in os.environ.items() if k not in KNOBS}
    env.update(PYTHONPATH=str(ROOT / "src"), DATABASE_URL="postgresql://localhost/unused")
    env.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", EMIT], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return [x for x in lines if "_aws" not in x], [x for x in lines if "_aws" in x]


def levels(**variables: str) -> list[str]:
    records, _ = emitted(**variables)
    return [record["message"] for record in records]


def namespace_and_service(**variables: str) -> tuple[str, str]:
    _, (document,) = emitted(**variables)
    (directive,) = document["_aws"]["CloudWatchMetrics"]
    assert directive["Dimensions"] == [["service"]]
    return directive["Namespace"], document["service"]


def test_log_level_is_info_when_no_variable_sets_it() -> None:
    assert levels() == ["info", "warning", "error"]


def test_powertools_log_level_sets_the_level() -> None:
    assert levels(POWERTOOLS_LOG_LEVEL="DEBUG") == ["debug", "info", "warning", "error"]
    assert levels(POWERTOOLS_LOG_LEVEL="error") == ["error"]


def test_powertools_log_level_wins_over_the_legacy_log_level() -> None:
    assert levels(POWERTOOLS_LOG_LEVEL="WARNING", LOG_LEVEL="DEBUG") == ["warning", "error"]


def test_the_legacy_log_level_still_applies_alone() -> None:
    assert levels(LOG_LEVEL="WARNING") == ["warning", "error"]


def test_lambda_advanced_logging_controls_win_over_powertools_log_level() -> None:
    # Powertools' documented order: Lambda's log level (AWS_LAMBDA_LOG_LEVEL) comes first.
    assert levels(AWS_LAMBDA_LOG_LEVEL="ERROR", POWERTOOLS_LOG_LEVEL="ERROR") == ["error"]
    assert levels(AWS_LAMBDA_LOG_LEVEL="DEBUG", POWERTOOLS_LOG_LEVEL="DEBUG")[0] == "debug"


def test_an_unknown_log_level_fails_the_cold_start_naming_the_variable() -> None:
    from shared.errors import SettingsError
    from shared.settings import load_settings

    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", "postgresql://localhost/unused")
        env.setenv("POWERTOOLS_LOG_LEVEL", "LOUD")
        with pytest.raises(SettingsError, match="POWERTOOLS_LOG_LEVEL"):
            load_settings()


def test_metrics_go_to_the_default_namespace_when_no_variable_sets_it() -> None:
    assert namespace_and_service()[0] == "ServerlessBackend"


def test_powertools_metrics_namespace_sets_the_namespace() -> None:
    assert namespace_and_service(POWERTOOLS_METRICS_NAMESPACE="Payments")[0] == "Payments"


def test_powertools_service_name_names_the_logs_and_the_metrics() -> None:
    records, _ = emitted(POWERTOOLS_SERVICE_NAME="orders-prod")
    assert {record["service"] for record in records} == {"orders-prod"}
    assert namespace_and_service(POWERTOOLS_SERVICE_NAME="orders-prod")[1] == "orders-prod"


def test_the_service_is_the_function_name_without_powertools_service_name() -> None:
    records, _ = emitted(AWS_LAMBDA_FUNCTION_NAME="lambda-stack-dev-orders")
    assert {record["service"] for record in records} == {"lambda-stack-dev-orders"}
    assert namespace_and_service()[1] == "local"
