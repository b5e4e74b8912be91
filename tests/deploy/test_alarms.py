"""The alarms of docs/operations.md, "Alarms", are the ones the templates deploy, as written there.

The table is for people and the templates for CloudFormation; these tests keep them one: each
row has its alarms (an alarm's description starts with its row's name) and each alarm its row,
each threshold the table names is the default of that parameter, and each alarm watches what
the functions and resources of its own stack emit. The rehearsal creates them (test_rehearsal).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import stackspec
from stackspec.values import walk
from tests.deploy.templates import NAMES, ROOT, load

ALARM = "AWS::CloudWatch::Alarm"
DOC = ROOT / "docs" / "operations.md"
ROW = re.compile(r"^\| \*\*(?P<name>[^*|]+)\*\* \| (?P<condition>[^|]+) \|", re.MULTILINE)
# "… > 1800 s (`ImportBacklogAlarmSeconds`) …": a number, its unit, then the parameter's name.
THRESHOLD = re.compile(r"(?P<value>\d[\d,]*(?:\.\d+)?)\s*(?:ms|s|%)?\s*\(`(?P<parameter>\w+)`")
NOTIFY = {"Fn::If": ["NotifiesTopic", [{"Ref": "AlarmTopicArn"}], []]}


def table() -> dict[str, str]:
    """The rows of the Alarms table: alarm name -> its "metric and condition" cell."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Alarms\n", 1)[1].split("\n## ", 1)[0]
    return {m["name"]: m["condition"] for m in ROW.finditer(section)}


def alarms() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Every alarm of every template: `<stack>/<logical id>` -> (stack, row name, properties)."""
    found = {}
    for name in NAMES:
        for logical_id, resource in load(name)["Resources"].items():
            if resource["Type"] == ALARM:
                properties = resource["Properties"]
                row = str(properties["AlarmDescription"]).split(":", 1)[0]
                found[f"{name}/{logical_id}"] = (name, row, properties)
    return found


def parameters_in(node: Any) -> set[str]:
    """The names a subtree references with `!Ref` or inside a `!Sub`."""
    names = set()
    for item in walk(node):
        if isinstance(item, dict) and "Ref" in item:
            names.add(str(item["Ref"]))
        elif isinstance(item, dict) and isinstance(item.get("Fn::Sub"), str):
            names |= set(re.findall(r"\$\{(\w+)\}", item["Fn::Sub"]))
    return names


def test_every_row_of_the_table_is_deployed_and_every_alarm_has_its_row() -> None:
    rows = table()
    assert len(rows) >= 12, "the table was not found"
    assert {row for _, row, _ in alarms().values()} == set(rows)


@pytest.mark.parametrize("row", sorted(table()))
def test_each_threshold_the_table_names_is_its_parameters_default(row: str) -> None:
    named = {m["parameter"]: m["value"] for m in THRESHOLD.finditer(table()[row])}
    assert named, f"{row}: the table names no threshold parameter"
    ours = [(stack, props) for stack, name, props in alarms().values() if name == row]
    for stack, properties in ours:
        # the threshold is a parameter the row names, never a number in the template
        assert parameters_in(properties["Threshold"]) <= set(named), (row, stack)
    for parameter, value in named.items():
        users = [stack for stack, props in ours if parameter in parameters_in(props)]
        assert users, f"{row}: no alarm reads {parameter}"
        for stack in users:
            default = load(stack)["Parameters"][parameter]["Default"]
            assert float(default) == float(value.replace(",", "")), (row, stack, parameter)


def test_every_alarm_notifies_the_topic_only_when_one_is_given() -> None:
    for key, (stack, _, properties) in alarms().items():
        assert properties["AlarmActions"] == properties["OKActions"] == NOTIFY, key
        template = load(stack)
        assert template["Parameters"]["AlarmTopicArn"]["Default"] == ""
        assert template["Conditions"]["NotifiesTopic"] == {
            "Fn::Not": [{"Fn::Equals": [{"Ref": "AlarmTopicArn"}, ""]}]
        }


def test_alarm_names_are_unique_and_carry_the_project_and_stage() -> None:
    names = [props["AlarmName"]["Fn::Sub"] for _, _, props in alarms().values()]
    assert all(name.startswith("${Project}-${Stage}-") for name in names)
    assert len(names) == len(set(names))


def _watched(properties: dict[str, Any]) -> list[tuple[str, Any, dict[str, Any]]]:
    """(namespace, metric name, dimensions) of an alarm, or of each metric of its math."""
    metrics = [
        q["MetricStat"]["Metric"] for q in properties.get("Metrics", []) if "MetricStat" in q
    ]
    return [
        (m["Namespace"], m["MetricName"], {d["Name"]: d["Value"] for d in m["Dimensions"]})
        for m in metrics or [properties]
    ]


@pytest.mark.parametrize(
    "function", [f for f in stackspec.functions() if f.triggers], ids=lambda f: f.name
)
def test_every_function_with_a_trigger_has_its_errors_throttles_and_reconnects_alarms(
    function: stackspec.Function,
) -> None:
    watched = [
        metric
        for stack, _, properties in alarms().values()
        if stack == function.stack
        for metric in _watched(properties)
    ]
    mine = {"FunctionName": {"Ref": function.logical_id}}
    assert ("AWS/Lambda", "Errors", mine) in watched
    assert ("AWS/Lambda", "Throttles", mine) in watched
    resource = load(function.stack)["Resources"][function.logical_id]
    service = resource["Properties"]["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"]
    ours = ({"Ref": "MetricsNamespace"}, "DatabaseReconnects", {"service": service})
    assert ours in watched


def test_alarms_on_our_metrics_read_the_namespace_and_a_service_the_stack_deploys() -> None:
    checked = 0
    for key, (stack, _, properties) in alarms().items():
        functions = [
            r["Properties"]["Environment"]["Variables"]
            for r in load(stack)["Resources"].values()
            if r["Type"] == "AWS::Lambda::Function"
        ]
        for namespace, _, dimensions in _watched(properties):
            if isinstance(namespace, str) and namespace.startswith("AWS/"):
                continue
            assert namespace == {"Ref": "MetricsNamespace"}, key
            assert any(dimensions == {"service": v["POWERTOOLS_SERVICE_NAME"]} for v in functions)
            assert all(v["POWERTOOLS_METRICS_NAMESPACE"] == namespace for v in functions), key
            checked += 1
    assert checked


def test_api_alarms_watch_the_stage_of_the_stacks_own_api() -> None:
    checked = 0
    for key, (stack, _, properties) in alarms().items():
        apis = [
            r["Properties"]["Name"]
            for r in load(stack)["Resources"].values()
            if r["Type"] == "AWS::ApiGateway::RestApi"
        ]
        for namespace, _, dimensions in _watched(properties):
            if namespace == "AWS/ApiGateway":
                assert dimensions == {"ApiName": apis[0], "Stage": {"Ref": "Stage"}}, key
                checked += 1
    assert checked >= 3  # the two metrics of the 5xx rate, and the latency
