"""A function the templates declare is built, checked and run with no edit to the tooling."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

import stackspec
from buildtools.app import build_function
from buildtools.execute import executed_check
from buildtools.target import Target, host_arch
from buildtools.verify import static_problems
from stackspec.model import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_s3 import S3Client

TEMPLATE = """\
Parameters:
  OrdersCodeKey:
    Type: String
Resources:
  OrdersFunction:
    Type: AWS::Lambda::Function
    Properties:
      Handler: orders.index.handler
      Runtime: python3.13
      Role: arn:aws:iam::000000000000:role/orders
      MemorySize: 256
      Timeout: 5
      Environment:
        Variables:
          GREETING: hello
      Code:
        S3Bucket: artifacts
        S3Key: !Ref OrdersCodeKey
"""
HANDLER = '''\
"""Adds the user the event names; answers with the declared greeting."""

import os

import psycopg


def handler(event, context):
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        user = [event["name"], event["email"]]
        conn.execute("INSERT INTO users (name, email) VALUES (%s, %s)", user)
    return {"greeting": os.environ["GREETING"], "function": context.function_name}
'''


def _project(root: Path) -> Path:
    """A repository holding one more function: its template, its package, its events."""
    (root / "deploy" / "cloudformation").mkdir(parents=True)
    (root / "deploy" / "cloudformation" / "orders.yaml").write_text(TEMPLATE, encoding="utf-8")
    (root / "src" / "orders").mkdir(parents=True)
    (root / "src" / "orders" / "__init__.py").write_text("", encoding="utf-8")
    (root / "src" / "orders" / "index.py").write_text(HANDLER, encoding="utf-8")
    shutil.copytree(ROOT / "src" / "shared", root / "src" / "shared")
    events = root / "events" / "orders"
    events.mkdir(parents=True)
    cases = {
        "greet": {"response": {"greeting": "hello", "function": "orders"}, "rows": {"users": 1}},
        "greet_wrongly": {"response": {"greeting": "bye"}, "rows": {"users": 2}},
    }
    for name, expected in cases.items():
        user = {"name": "Ada", "email": f"{name}@example.com"}
        (events / f"{name}.json").write_text(json.dumps(user), encoding="utf-8")
        (events / f"{name}.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    return root


def test_a_function_added_to_the_templates_is_built_checked_and_run(
    tmp_path: Path,
    python313: Path,
    layers: dict[str, Path],
    server_url: str,
    s3_client: S3Client,
) -> None:
    # GIVEN a repository whose templates declare a new function, and nothing else about it
    project = _project(tmp_path / "repo")
    functions = list(stackspec.functions(project / "deploy" / "cloudformation"))
    dist = tmp_path / "dist"
    # WHEN the tooling builds and verifies what is declared
    for function in functions:
        build_function(function, Target("python3.13", "arm64"), dist, python313, project)
    for layer in layers.values():
        shutil.copy(layer, dist / layer.name)
    static = static_problems(dist, "python3.13", functions)
    run = tmp_path / "run"
    run.mkdir()
    executed = executed_check(
        dist, Target("python3.13", host_arch()), server_url, s3_client, run, functions=functions
    )
    # THEN its zip passes the static checks, and it runs from it with its declared settings:
    # each case on a database of its own (one user each), a wrong expectation named
    assert [f.name for f in functions] == ["orders"]
    assert static == []
    assert executed == [
        "orders: events/orders/greet_wrongly.json: response.greeting is 'hello', expected 'bye'",
        "orders: events/orders/greet_wrongly.json: users holds 1 row(s) after it, expected 2",
    ]
