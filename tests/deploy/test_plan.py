"""`make deploy-plan`: the order of the steps and the parameters each stack gets."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

from deploytools.plan import Config, deploy_plan, destroy_plan
from deploytools.render import deploy_commands, destroy_commands
from tests.deploy.templates import NAMES, ROOT, load

if TYPE_CHECKING:
    from pathlib import Path


def built(tmp_path: Path) -> Path:
    for name in ("layer-arm64", "sample_api", "sample_event", "migrator"):
        (tmp_path / f"{name}.zip").write_bytes(name.encode())
    return tmp_path


def test_stacks_deploy_in_dependency_order_with_migrations_before_the_importer() -> None:
    commands = deploy_commands(deploy_plan(Config("dev")))
    steps = [" ".join(c[:3]) for c in commands]
    deploys = [
        c[c.index("--stack-name") + 1]
        for c in commands
        if c[:3] == ["aws", "cloudformation", "deploy"]
    ]
    assert deploys == [f"lambda-stack-dev-{name}" for name in NAMES]
    order = [
        steps.index("aws s3 mb"),
        steps.index("aws s3 cp"),
        steps.index("aws cloudformation deploy"),
    ]
    assert order == sorted(order)
    invoke = steps.index("aws lambda invoke")
    assert "lambda-stack-dev-migrator" in commands[invoke]
    positions = [i for i, s in enumerate(steps) if s == "aws cloudformation deploy"]
    assert positions[2] < invoke < positions[3]


def test_every_stack_gets_its_required_parameters_and_only_declared_ones(tmp_path: Path) -> None:
    plan = deploy_plan(Config("dev", dist=built(tmp_path), account_id="123456789012"))
    for step in plan.stacks:
        declared = load(step.stack)["Parameters"]
        required = {name for name, spec in declared.items() if "Default" not in spec}
        given = {*step.parameters, *step.inputs}
        assert required <= given, step.stack
        assert given <= set(declared), step.stack
        assert step.parameters["Stage"] == "dev"


def test_code_keys_are_content_addressed_and_uploaded_before_use(tmp_path: Path) -> None:
    plan = deploy_plan(Config("dev", dist=built(tmp_path), account_id="123456789012"))
    keys = {upload.key for upload in plan.uploads}
    api = plan.stacks[2].parameters
    assert {api["LayerKey"], api["ApiCodeKey"], api["MigratorCodeKey"]} <= keys
    assert plan.stacks[3].parameters["ImportCodeKey"] in keys
    assert api["ArtifactsBucket"] == "lambda-stack-artifacts-123456789012-us-east-1"
    # a rebuilt zip is a new key, so CloudFormation updates the function
    before = api["ApiCodeKey"]
    (tmp_path / "sample_api.zip").write_bytes(b"changed")
    assert deploy_plan(plan.config).stacks[2].parameters["ApiCodeKey"] != before


def test_arch_and_runtime_flow_to_the_layer_and_the_templates() -> None:
    plan = deploy_plan(Config("prod", runtime="python3.12", arch="x86_64"))
    assert plan.uploads[0].path.name == "layer-x86_64.zip"
    for step in plan.stacks[2:]:
        assert step.parameters["Architecture"] == "x86_64"
        assert step.parameters["Runtime"] == "python3.12"


def test_destroy_lifts_protection_then_deletes_in_reverse_order() -> None:
    commands = destroy_commands(destroy_plan(Config("dev")))
    assert commands[0][:3] == ["aws", "cloudformation", "deploy"]
    assert "DeletionProtection=false" in commands[0]
    deleted = [c[-1] for c in commands if c[:3] == ["aws", "cloudformation", "delete-stack"]]
    assert deleted == [f"lambda-stack-dev-{name}" for name in reversed(NAMES)]


def test_deploy_plan_command_prints_the_plan_without_aws() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "deploytools", "plan", "--stage", "qa"],
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.stdout.count("aws cloudformation deploy") == 4
    assert "lambda-stack-qa-s3-lambda" in result.stdout
