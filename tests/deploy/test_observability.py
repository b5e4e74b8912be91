"""What the templates give the functions to log, count and trace with (docs/operations.md).

Each function gets the Powertools variables from its stack's parameters, so that a stage's
log level and metrics namespace change with its parameters and no code; X-Ray is off
everywhere, for the reason and with the numbers the operations guide gives.
"""

from __future__ import annotations

from typing import Any

import pytest

from shared.settings import DEFAULT_METRICS_NAMESPACE
from stackspec.values import walk
from tests.deploy.templates import NAMES, ROOT, all_resources, functions, load

FUNCTIONS = functions()


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_every_function_takes_its_log_level_and_namespace_from_its_stacks_parameters(
    logical_id: str,
) -> None:
    properties = FUNCTIONS[logical_id]["Properties"]
    variables = properties["Environment"]["Variables"]
    package = properties["Handler"].split(".")[0]
    assert variables["POWERTOOLS_LOG_LEVEL"] == {"Ref": "LogLevel"}
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == {"Ref": "MetricsNamespace"}
    assert variables["POWERTOOLS_SERVICE_NAME"] == {"Fn::Sub": f"${{Project}}-${{Stage}}-{package}"}
    # one name for the level: the legacy LOG_LEVEL beside it would only confuse a reader
    assert "LOG_LEVEL" not in variables


@pytest.mark.parametrize("name", [n for n in NAMES if "LogLevel" in load(n)["Parameters"]])
def test_the_level_and_namespace_parameters_default_to_what_the_code_does_unset(name: str) -> None:
    parameters = load(name)["Parameters"]
    assert parameters["LogLevel"]["Default"] == "INFO"
    assert set(parameters["LogLevel"]["AllowedValues"]) <= {"DEBUG", "INFO", "WARNING", "ERROR"}
    assert parameters["MetricsNamespace"]["Default"] == DEFAULT_METRICS_NAMESPACE


def _actions(role: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for node in walk(role["Properties"].get("Policies", [])):
        if isinstance(node, dict) and "Action" in node:
            action = node["Action"]
            found |= {action} if isinstance(action, str) else set(action)
    return found


def test_no_function_or_api_stage_is_traced_and_no_role_may_write_traces() -> None:
    for logical_id, function in FUNCTIONS.items():
        mode = function["Properties"].get("TracingConfig", {}).get("Mode", "PassThrough")
        assert mode == "PassThrough", logical_id
    for key, stage in all_resources("AWS::ApiGateway::Stage").items():
        assert stage["Properties"].get("TracingEnabled", False) is False, key
    for key, role in all_resources("AWS::IAM::Role").items():
        assert not {a for a in _actions(role) if a.startswith("xray:")}, key


def test_the_operations_guide_says_why_with_the_command_that_measures_it() -> None:
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = guide.split("\n## Tracing", 1)[1].split("\n## ", 1)[0]
    assert "python -m bench api" in section
    assert "Tracer adds" in section  # the bench's own lines, pasted from a run
