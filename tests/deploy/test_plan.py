"""`make deploy-plan`: the order of the steps and the parameters each stack gets."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import stackspec
from deploytools.plan import Config, deploy_plan, destroy_plan
from deploytools.render import deploy_commands, destroy_commands
from tests.deploy.stagefiles import changed, settings
from tests.deploy.templates import NAMES, ROOT, TEMPLATE_DIR, load

if TYPE_CHECKING:
    from pathlib import Path

FUNCTIONS = stackspec.functions()


def built(tmp_path: Path) -> Path:
    for name in ("layer-arm64", *(f.name for f in FUNCTIONS)):
        (tmp_path / f"{name}.zip").write_bytes(name.encode())
    return tmp_path


def test_stacks_deploy_in_declared_order_and_invoke_on_deploy_runs_before_later_stacks() -> None:
    commands = deploy_commands(deploy_plan(Config("dev"), settings()))
    steps = [" ".join(c[:3]) for c in commands]
    deploys = [i for i, s in enumerate(steps) if s == "aws cloudformation deploy"]
    assert [commands[i][commands[i].index("--stack-name") + 1] for i in deploys] == [
        f"lambda-stack-dev-{name}" for name in NAMES
    ]
    assert steps.index("aws s3 mb") < steps.index("aws s3 cp") < deploys[0]
    for function in (f for f in FUNCTIONS if f.invoke_on_deploy):
        invoke = next(
            i for i, c in enumerate(commands) if function.name_in("lambda-stack", "dev") in c
        )
        own = deploys[NAMES.index(function.stack)]
        later = [i for i in deploys if i > own]
        assert own < invoke < (later[0] if later else len(commands))


def test_every_stack_gets_its_required_parameters_and_only_declared_ones(tmp_path: Path) -> None:
    plan = deploy_plan(Config("dev", dist=built(tmp_path), account_id="123456789012"), settings())
    for step in plan.stacks:
        declared = load(step.stack)["Parameters"]
        required = {name for name, spec in declared.items() if "Default" not in spec}
        given = {*step.parameters, *step.inputs}
        assert required <= given, step.stack
        assert given <= set(declared), step.stack
        assert step.parameters["Stage"] == "dev"


def test_every_function_gets_its_own_content_addressed_code_key(tmp_path: Path) -> None:
    plan = deploy_plan(Config("dev", dist=built(tmp_path), account_id="123456789012"), settings())
    keys = {upload.key for upload in plan.uploads}
    given = {name: value for step in plan.stacks for name, value in step.parameters.items()}
    for function in FUNCTIONS:
        assert given[function.code_parameter] in keys
        assert f"/{function.name}-" in given[function.code_parameter]
    # a rebuilt zip is a new key, so CloudFormation updates the function
    function = FUNCTIONS[0]
    (tmp_path / function.artifact).write_bytes(b"changed")
    again = deploy_plan(plan.config, settings())
    after = {name: value for step in again.stacks for name, value in step.parameters.items()}
    assert after[function.code_parameter] != given[function.code_parameter]


def test_arch_and_runtime_flow_to_the_layer_and_the_templates() -> None:
    given = changed(settings("prod"), Runtime="python3.12", Architecture="x86_64")
    plan = deploy_plan(Config("prod", runtime="python3.12", arch="x86_64"), given)
    assert plan.uploads[0].path.name == "layer-x86_64.zip"
    for step in plan.stacks:
        if "Architecture" in load(step.stack)["Parameters"]:
            assert step.parameters["Architecture"] == "x86_64"
            assert step.parameters["Runtime"] == "python3.12"


def test_a_template_added_to_the_folder_is_planned_without_any_tooling_change(
    tmp_path: Path,
) -> None:
    # GIVEN a copy of the templates plus one more stack with a function
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATE_DIR, templates)
    (templates / "orders.yaml").write_text(
        "Parameters:\n  Stage: {Type: String}\n  OrdersCodeKey: {Type: String}\n"
        "  PrivateSubnetIds: {Type: String}\n"
        "Resources:\n  OrdersFunction:\n    Type: AWS::Lambda::Function\n    Properties:\n"
        "      FunctionName: !Sub '${Stage}-orders'\n      Handler: orders.index.handler\n"
        "      Code: {S3Key: !Ref OrdersCodeKey}\n      Role: arn\n      Runtime: python3.13\n",
        encoding="utf-8",
    )
    # WHEN planned
    plan = deploy_plan(Config("dev", templates=templates), settings())
    # THEN it comes after the stack whose output it takes, with its zip uploaded and keyed
    names = [step.stack for step in plan.stacks]
    assert names.index("orders") > names.index("vpc")
    assert any(upload.path.name == "orders.zip" for upload in plan.uploads)
    assert "OrdersCodeKey" in plan.stacks[names.index("orders")].parameters


def test_destroy_lifts_protection_then_deletes_in_reverse_order_emptying_buckets() -> None:
    commands = destroy_commands(destroy_plan(Config("dev")))
    assert commands[0][:3] == ["aws", "cloudformation", "deploy"]
    assert "DeletionProtection=false" in commands[0]
    deleted = [c[-1] for c in commands if c[:3] == ["aws", "cloudformation", "delete-stack"]]
    assert deleted == [f"lambda-stack-dev-{name}" for name in reversed(NAMES)]
    with_buckets = [s for s in stackspec.load_stacks() if s.buckets]
    emptied = [c for c in commands if c[:3] == ["aws", "s3", "rm"]]
    assert len(emptied) == sum(len(s.buckets) for s in with_buckets) > 0


def test_deploy_plan_command_prints_the_plan_without_aws() -> None:
    # no credentials anywhere (nor an instance role to look for)
    result = subprocess.run(
        [sys.executable, "-m", "deploytools", "plan", "--stage", "prod"],
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={
            "PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "HOME": str(ROOT / "nowhere"),
            "AWS_EC2_METADATA_DISABLED": "true",
        },
    )  # fmt: skip
    assert result.stdout.count("aws cloudformation deploy") == len(NAMES)
    assert f"lambda-stack-prod-{NAMES[-1]}" in result.stdout
    assert "deploy/stages/prod.toml" in result.stdout
    assert "drift and change sets: not checked (no AWS credentials found)" in result.stdout


def test_a_stage_without_its_file_is_refused_naming_the_file() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "deploytools", "plan", "--stage", "qa", "--offline"],
        capture_output=True, text=True, check=False, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("deploy/stages/qa.toml: no such stage file")
