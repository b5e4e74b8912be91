"""`make new-function` in a copy of the repository: what it renders passes every check as is.

Two functions per trigger (names of 2 and of 20 characters) in one copy: ruff, ruff format,
mypy --strict, the deploy plan and the declaration. tests/scaffold/test_generated_deep.py runs
the slow rest under `make check-deep`: every generated function's own tests, `make build` with
static verify, and tests/deploy (cfn-lint, checkov, the rehearsal) with the new stacks.
"""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest

from scaffold.render import TRIGGERS
from stackspec.model import ROOT

if TYPE_CHECKING:
    from tests.scaffold.conftest import Copy

# Run in the copy: what `make deploy-plan` prints, and each function as the tooling sees it,
# with what its stack needs that neither the plan gives nor an earlier stack outputs
# (`make deploy` feeds the outputs to the parameters of the same names).
DECLARATION = """
import contextlib, dataclasses, io, json, sys
import stackspec
from deploytools import stages
from deploytools.__main__ import main
from deploytools.plan import Config, deploy_plan
from stackspec.events import cases
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    main(["plan", "--stage", "dev", "--offline"])
stacks = stackspec.load_stacks()
settings = stages.load(stages.path("dev"), stacks)
given = {step.stack: step.parameters for step in deploy_plan(Config("dev"), settings).stacks}
found = {}
for index, stack in enumerate(stacks):
    earlier = {o for s in stacks[:index] for o in s.outputs}
    unmet = [
        name for name, default in stack.parameters.items()
        if default is None and name not in given[stack.name] and name not in earlier
    ]
    for f in stack.functions:
        found[f.name] = {
            "stack": stack.name, "after": [s.name for s in stacks[:index]], "unmet": unmet,
            "code_parameter": f.code_parameter, "handler": f.handler,
            "environment": sorted(f.environment),
            "triggers": [{"kind": t.kind, **dataclasses.asdict(t)} for t in f.triggers],
            "cases": [c.name for c in cases(f)],
            "responses": [c.response for c in cases(f)],
        }
json.dump({"plan": printed.getvalue(), "functions": found}, sys.stdout)
"""


@pytest.fixture(scope="module")
def read(rendered: Copy) -> dict[str, Any]:
    """The copy's deploy plan (`plan`), and its functions as declared (`functions`, by name)."""
    found: dict[str, Any] = json.loads(rendered.python("-c", DECLARATION))
    return found


def new_names(copy: Copy) -> list[str]:
    return [name for names in copy.names.values() for name in names]


def new_paths(copy: Copy, folder: str) -> list[str]:
    return [f"{folder}/{name}" for name in new_names(copy)]


def test_what_it_renders_passes_ruff_and_ruff_format(rendered: Copy) -> None:
    paths = [*new_paths(rendered, "src"), *new_paths(rendered, "tests")]
    rendered.python("-m", "ruff", "check", "--no-cache", *paths)
    rendered.python("-m", "ruff", "format", "--no-cache", "--check", *paths)


def test_what_it_renders_passes_mypy_strict(rendered: Copy) -> None:
    # The project's cache (make typecheck ran before the tests): only the new code is checked.
    cache = ROOT / ".mypy_cache"
    if cache.is_dir():
        shutil.copytree(cache, rendered.root / ".mypy_cache")
    rendered.python("-m", "mypy", *new_paths(rendered, "src"))


def test_the_deploy_plan_deploys_each_new_stack_with_its_zip_after_what_it_needs(
    rendered: Copy, read: dict[str, Any]
) -> None:
    # one command per line, as the shell reads it (the plan puts each override on its own line)
    plan, declared = read["plan"].replace(" \\\n", " "), read["functions"]
    deploys = [line for line in plan.splitlines() if "cloudformation deploy" in line]
    order = [line.split("--stack-name ")[1].split()[0] for line in deploys]
    for name in new_names(rendered):
        function = declared[name]
        line = deploys[order.index(f"lambda-stack-dev-{name}")]
        assert f"{function['code_parameter']}=lambda-stack/dev/{name}-" in line
        assert f"dist/{name}.zip" in plan
        # Each parameter without a default is given by the plan, or is named after the
        # output of an earlier stack, which `make deploy` feeds to it.
        assert function["unmet"] == [], name
        assert {"vpc", "db", "apigateway-lambda"} <= set(function["after"])


def test_the_declaration_reads_each_new_function_with_its_trigger_and_its_events(
    rendered: Copy, read: dict[str, Any]
) -> None:
    declared = read["functions"]
    expected = {
        "api": "api",
        "sqs": "sqs",
        "s3": "sqs",
        "schedule": "schedule",
        "dynamodb": "dynamodb",
    }
    for trigger, names in rendered.names.items():
        for name in names:
            function: dict[str, Any] = declared[name]
            assert function["handler"] == f"{name}.index.handler"
            (found,) = function["triggers"]
            assert found["kind"] == expected[trigger], name
            assert function["cases"] and None not in function["responses"], name
            assert "DB_SECRET_ARN" in function["environment"]
    names = [rendered.names[trigger][0] for trigger in TRIGGERS]
    api, sqs, s3, schedule, dynamodb = (declared[name] for name in names)
    assert api["triggers"][0]["paths"] == [f"/{names[0]}", f"/{names[0]}/{{proxy+}}"]
    assert sqs["triggers"][0]["dead_letter_queue"] == f"lambda-stack-local-{names[1]}-dlq"
    source = s3["triggers"][0]["source"]
    assert (source["bucket"], source["prefix"]) == (f"{names[2]}-bucket", "incoming/")
    assert schedule["triggers"][0]["expression"] == "rate(5 minutes)"
    stream = dynamodb["triggers"][0]
    assert stream["table"] == f"lambda-stack-local-{names[4]}"
    assert stream["key_schema"] == [["reference", "HASH"]]
    assert stream["on_failure_queue"] == f"lambda-stack-local-{names[4]}-failures"
    assert (stream["bisect_on_error"], stream["maximum_retry_attempts"]) == (True, 10)
    assert api["cases"].index(f"{names[0]}_create") < api["cases"].index(f"{names[0]}_get")
