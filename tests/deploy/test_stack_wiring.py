"""How stacks hand values to each other: exports only for what never changes, the rest as
parameters that the tool fills from the earlier stacks' outputs."""

from __future__ import annotations

import pytest

from deploytools import zones
from deploytools.plan import Config, deploy_plan
from deploytools.render import deploy_commands
from deploytools.wiring import input_values
from tests.deploy.exports import export_names, why_it_changes
from tests.deploy.stagefiles import settings
from tests.deploy.templates import NAMES, load

EXPORTS = {
    str(output["Export"]["Name"]): (name, key)
    for name in NAMES
    for key, output in load(name).get("Outputs", {}).items()
    if "Export" in output
}


@pytest.mark.parametrize(("name", "key"), sorted(EXPORTS.values()))
def test_exported_value_never_changes_on_update(name: str, key: str) -> None:
    value = load(name)["Outputs"][key]["Value"]
    assert why_it_changes(load(name), value) == "", f"{name} exports {key}"


@pytest.mark.parametrize("name", NAMES)
def test_no_stack_imports_a_value_that_changes_on_update(name: str) -> None:
    for export in export_names(load(name)["Resources"]):
        assert str(export) in EXPORTS, f"{name} imports {export}, which no stack exports"
        producer, key = EXPORTS[str(export)]
        value = load(producer)["Outputs"][key]["Value"]
        reason = why_it_changes(load(producer), value)
        assert reason == "", f"{name} imports {key} of {producer}, which changes: {reason}"


def test_layer_and_database_host_change_on_update() -> None:
    # the analysis itself: the two values the first real updates changed
    layer = load("apigateway-lambda")["Outputs"]["LayerArn"]["Value"]
    assert "DependenciesLayer is replaced" in why_it_changes(load("apigateway-lambda"), layer)
    host = load("db")["Outputs"]["DatabaseHost"]["Value"]
    assert "EnableProxy" in str(load("db")["Conditions"]) and why_it_changes(load("db"), host)


def test_parameter_named_after_an_earlier_output_is_fed_that_output() -> None:
    plan = deploy_plan(Config("dev"), settings())
    inputs = {step.stack: step.inputs for step in plan.stacks}
    assert inputs["s3-lambda"]["LayerArn"] == "apigateway-lambda"
    assert inputs["s3-lambda"]["DatabaseHost"] == "db"
    assert inputs["apigateway-lambda"]["DatabaseHost"] == "db"
    # every input names an output the producer declares, deployed earlier
    order = [step.stack for step in plan.stacks]
    for step in plan.stacks:
        for parameter, producer in step.inputs.items():
            if producer == zones.SOURCE:
                continue
            assert parameter in load(producer)["Outputs"]
            assert order.index(producer) < order.index(step.stack)


def test_plan_shows_where_each_fed_value_comes_from() -> None:
    commands = deploy_commands(deploy_plan(Config("dev"), settings()))
    words = [word for command in commands for word in command]
    assert "LayerArn=<LayerArn from apigateway-lambda>" in words
    assert "DatabaseHost=<DatabaseHost from db>" in words


def test_missing_output_is_a_clear_error() -> None:
    step = next(
        s for s in deploy_plan(Config("dev"), settings()).stacks if "DatabaseHost" in s.inputs
    )
    with pytest.raises(RuntimeError, match="needs the output"):
        input_values(step, {})
