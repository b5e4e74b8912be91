"""deploy/stages/<stage>.toml: every parameter of every stack, checked against the templates.

A stage file lacking a parameter a template declares (a new one, added in a template) fails
here, with the line to add; so does a parameter no template declares, one the deploy
computes, or a value the template's AllowedValues, AllowedPattern or range refuses.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

import stackspec
from deploytools import preflight, stages, template
from deploytools.plan import Config, deploy_plan
from tests.deploy.templates import ROOT, TEMPLATE_DIR

if TYPE_CHECKING:
    from pathlib import Path

SHIPPED = sorted(stages.STAGES.glob("*.toml"))
STACKS = stackspec.load_stacks()
DEV = stages.path("dev").read_text(encoding="utf-8")


def problems_of(tmp_path: Path, text: str, stacks: tuple[stackspec.Stack, ...] = STACKS) -> str:
    """The error a stage file with this text gets (empty when it loads)."""
    file = tmp_path / "qa.toml"
    file.write_text(text, encoding="utf-8")
    try:
        stages.load(file, stacks)
    except stages.StageFileError as exc:
        return str(exc)
    return ""


def test_dev_and_prod_ship() -> None:
    assert {path.stem for path in SHIPPED} >= {"dev", "prod"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_stage_file_gives_every_parameter_a_value_its_template_accepts(path: Path) -> None:
    # stages.load raises, listing every problem and the line to add, otherwise
    settings = stages.load(path, STACKS)
    wanted = stages.file_parameters(STACKS)
    assert {stack: set(values) for stack, values in settings.values.items()} == {
        stack: set(names) for stack, names in wanted.items()
    }


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_the_plan_gives_every_declared_parameter_from_the_file_or_the_deploy(path: Path) -> None:
    settings = stages.load(path, STACKS)
    plan = deploy_plan(Config.of(settings, path.stem), settings)
    for step in plan.stacks:
        declared = next(s for s in STACKS if s.name == step.stack).declared
        assert set(step.parameters) | set(step.inputs) == set(declared), step.stack
        for name, value in settings.values[step.stack].items():
            assert step.parameters[name] == value


def test_a_missing_parameter_is_named_with_the_line_to_add(tmp_path: Path) -> None:
    text = DEV.replace("MultiAZ = false\n", "")
    assert "no value for MultiAZ (db): add `MultiAZ = false` under [db]" in problems_of(
        tmp_path, text
    )


def test_a_parameter_new_in_several_templates_is_asked_for_under_all(tmp_path: Path) -> None:
    # GIVEN templates where two stacks gained the same parameter (an audit topic, say)
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATE_DIR, folder)
    for name in ("dynamodb-lambda", "s3-lambda"):
        path = folder / f"{name}.yaml"
        text = path.read_text(encoding="utf-8").replace(
            "\nParameters:\n",
            "\nParameters:\n  AuditTopicArn:\n    Type: String\n    Default: ''\n",
            1,
        )
        path.write_text(text, encoding="utf-8")
    stacks = stackspec.load_stacks(folder)
    # WHEN the shipped stage file is checked against them THEN it says what to add, and where
    found = problems_of(tmp_path, DEV, stacks)
    assert (
        'no value for AuditTopicArn (dynamodb-lambda, s3-lambda): add `AuditTopicArn = ""`' in found
    )
    assert "under [all]" in found


def test_a_parameter_no_template_declares_is_refused(tmp_path: Path) -> None:
    text = DEV.replace("[db]\n", "[db]\nInstanceSize = 3\n")
    assert "[db] InstanceSize: the db template declares no such parameter" in problems_of(
        tmp_path, text
    )


ZIPPED = next(f for f in stackspec.functions() if f.stack == "s3-lambda")  # its key: the build's


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('DatabaseHost = "db.example"', "the output of the db stack"),
        (f'{ZIPPED.code_parameter} = "x.zip"', f"{ZIPPED.name}.zip's content-addressed key"),
        ('Stage = "qa"', "the stage file's name"),
    ],
)
def test_a_value_the_deploy_computes_is_refused_saying_where_it_comes_from(
    tmp_path: Path, line: str, why: str
) -> None:
    text = DEV.replace("[s3-lambda]\n", f"[s3-lambda]\n{line}\n")
    found = problems_of(tmp_path, text)
    assert f"[s3-lambda] {line.split()[0]}: the deploy gives it ({why}" in found


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        (
            'InstanceClass = "db.t4g.micro"',
            'InstanceClass = "db.x9.huge"',
            "not one of db.t4g.micro",
        ),
        ('Project = "lambda-stack"', 'Project = "Lambda_Stack"', "does not match ^[a-z]"),
        ("BackupRetentionDays = 7", "BackupRetentionDays = 36", "above the maximum, 35"),
        ("AllocatedStorage = 20", "AllocatedStorage = 10", "below the minimum, 20"),
        ("MultiAZ = false", 'MultiAZ = "yes"', "not one of true, false"),
        ("LogRetentionDays = 30", "LogRetentionDays = 31", "not one of 1, 3, 5"),
        ("ImportMaxConcurrency = 5", 'ImportMaxConcurrency = "five"', "not a number"),
        ("MultiAZ = false", "MultiAZ = [false]", "a list, for a parameter of type String"),
    ],
)
def test_a_value_the_template_refuses_is_named_with_the_reason(
    tmp_path: Path, old: str, new: str, why: str
) -> None:
    assert old in DEV
    found = problems_of(tmp_path, DEV.replace(old, new))
    assert f"{new}: {why}" in found


def test_one_value_in_one_place_and_shared_ones_in_all(tmp_path: Path) -> None:
    both = DEV.replace("[s3-lambda]\n", '[s3-lambda]\nLogLevel = "INFO"\n')
    assert "LogLevel is in [all] and in [s3-lambda]: keep one" in problems_of(tmp_path, both)
    moved = DEV.replace('Runtime = "python3.13"', "").replace(
        "[s3-lambda]\n", '[s3-lambda]\nRuntime = "python3.13"\n'
    )
    assert "[s3-lambda] Runtime: belongs in [all]" in problems_of(tmp_path, moved)


def test_keys_outside_tables_and_unknown_tables_are_refused(tmp_path: Path) -> None:
    text = "MultiAZ = true\n" + DEV + "\n[database]\nMultiAZ = true\n"
    found = problems_of(tmp_path, text)
    assert "MultiAZ is outside any table" in found
    assert "[database]: no such stack (stacks: vpc, db" in found


def test_toml_values_reach_cloudformation_as_the_strings_it_takes() -> None:
    settings = stages.load(stages.path("prod"), STACKS)
    assert settings.values["db"]["MultiAZ"] == "true"
    assert settings.values["db"]["BackupRetentionDays"] == "14"
    assert settings.values["s3-lambda"]["LogRetentionDays"] == "365"  # from [all]


def test_not_toml_is_a_clear_error(tmp_path: Path) -> None:
    assert re.search(r"qa\.toml: not TOML: .*line 1", problems_of(tmp_path, "[db\n"))


def test_production_keeps_its_data() -> None:
    prod = stages.load(stages.path("prod"), STACKS).values
    assert prod["db"]["MultiAZ"] == "true"
    assert int(prod["db"]["BackupRetentionDays"]) >= 7
    protected = [stack for stack, values in prod.items() if "DeletionProtection" in values]
    assert protected and all(prod[s]["DeletionProtection"] == "true" for s in protected)


# Connections RDS gives PostgreSQL per instance class (docs/deploy.md, "How it scales"), less
# 20 for administrators, rotation and the environments a deploy retires.
USABLE_CONNECTIONS = {"db.t4g.micro": 80, "db.t4g.small": 180, "db.t4g.medium": 400}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_each_stage_reserves_no_more_connections_than_its_database_holds(path: Path) -> None:
    settings = stages.load(path, STACKS)
    instance = next(v["InstanceClass"] for v in settings.values.values() if "InstanceClass" in v)
    assert instance in USABLE_CONNECTIONS, f"add {instance}'s connections to the table above"
    bodies = [
        (template.load(stack.template.read_text()), settings.values[stack.name]) for stack in STACKS
    ]
    reserved = sum(r.concurrency for r in preflight.reservations(bodies))
    assert reserved <= USABLE_CONNECTIONS[instance] - 20


def test_a_new_stack_gets_a_table_of_its_defaults_in_every_stage_file(tmp_path: Path) -> None:
    # GIVEN the stage files and one more stack (what `make new-function` writes), named unlike
    # any stack of this repository (a user's own functions included)
    name = next(f"added{n}" for n in range(100) if f"added{n}" not in {s.name for s in STACKS})
    folder, files = tmp_path / "templates", tmp_path / "stages"
    shutil.copytree(TEMPLATE_DIR, folder)
    shutil.copytree(stages.STAGES, files)
    (folder / f"{name}.yaml").write_text(
        "Parameters:\n  Stage: {Type: String}\n  AddedCodeKey: {Type: String}\n"
        "  LogLevel: {Type: String, Default: INFO}\n"
        "  AddedConcurrency: {Type: Number, Default: 3, MinValue: 1}\n"
        "Resources:\n  AddedFunction:\n    Type: AWS::Lambda::Function\n    Properties:\n"
        f"      Handler: {name}.index.handler\n      Code: {{S3Key: !Ref AddedCodeKey}}\n",
        encoding="utf-8",
    )
    stacks = stackspec.load_stacks(folder)
    # WHEN the tables are added THEN each file is complete again, with the defaults
    assert sorted(p.name for p in stages.add_tables(files, stacks)) == [p.name for p in SHIPPED]
    for file in sorted(files.glob("*.toml")):
        assert stages.load(file, stacks).values[name]["AddedConcurrency"] == "3"
        assert "LogLevel" not in file.read_text().split(f"[{name}]")[1]  # [all] gives it
    assert stages.add_tables(files, stacks) == []  # and only once


def test_make_deploy_builds_for_the_stage_files_runtime_and_architecture() -> None:
    # the Makefile passes this to `make build verify`
    result = subprocess.run(
        [sys.executable, "-m", "deploytools", "build-target", "--stage", "prod"],
        capture_output=True, text=True, check=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    prod = stages.load(stages.path("prod"), STACKS)
    assert result.stdout.split() == [f"RUNTIME={prod.runtime}", f"ARCH={prod.arch}"]
