"""The executed check: each function, from its zip and the layer, in a clean interpreter.

It runs against a real PostgreSQL (a throwaway database per function on the given server) and
an S3 endpoint, and reports each problem as one readable line.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql

from buildtools import sandbox, scenarios
from buildtools.interpreter import find_python
from localcloud.postgres import with_database
from migrator.apply import apply_migrations

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from mypy_boto3_s3 import S3Client

    from buildtools.target import Target

PROJECT = Path(__file__).resolve().parents[2]
CACHE = PROJECT / ".local" / "build-cache"


def executed_check(
    dist: Path,
    target: Target,
    server_url: str,
    s3_client: S3Client,
    workdir: Path,
    log: Callable[[str], object] = lambda _line: None,
    functions: tuple[str, ...] = ("sample_api", "sample_event", "migrator"),
) -> list[str]:
    """Run each function's scenario from dist/ for target (this machine's architecture)."""
    python = find_python(target.python_version)
    sdk = sandbox.runtime_sdk(target, python, CACHE, PROJECT)
    events = scenarios.load_events(PROJECT / "events")
    endpoint = s3_client.meta.endpoint_url
    layer = sandbox.unpack_layer(dist / f"layer-{target.arch}.zip", workdir)
    problems: list[str] = []
    for function in functions:
        migrated = function != "migrator"
        with throwaway_database(server_url, migrated=migrated) as database_url:
            if function == "sample_api":
                scenario = scenarios.api_scenario(events)
            elif function == "sample_event":
                scenario = scenarios.event_scenario(events, s3_client, database_url)
            else:
                scenario = scenarios.migrator_scenario()
            root = workdir / function
            box = sandbox.unpack(dist / f"{function}.zip", layer, root, sdk)
            env = sandbox.lambda_environment(function, _settings(database_url, endpoint))
            report = sandbox.run(python, box, scenario.calls, env, root)
            found = _problems(scenario, report, box)
            problems.extend(f"{function}: {line}" for line in found)
        log(f"  {function}: {len(scenario.calls)} call(s), {len(found)} problem(s)")
    return problems


def _problems(
    scenario: scenarios.Scenario, report: dict[str, Any], box: sandbox.Sandbox
) -> list[str]:
    found = [message for check in scenario.checks if (message := check(report))]
    if not scenario.calls:
        found.append("no sample event in events/ for this function")
    if report["psycopg_impl"] != "binary":
        found.append(f"psycopg runs its {report['psycopg_impl']!r} implementation, not 'binary'")
    roots = box.allowed_roots(report["stdlib"][0])
    outside = sorted(
        f"{name} ({path})" for name, path in report["modules"].items() if not path.startswith(roots)
    )
    if outside:
        found.append(f"modules loaded from outside the sandbox: {', '.join(outside)}")
    return found


def _settings(database_url: str, s3_endpoint: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "AWS_ENDPOINT_URL_S3": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }


@contextmanager
def throwaway_database(server_url: str, *, migrated: bool) -> Iterator[str]:
    """A new database on the server (migrated or empty), dropped afterwards."""
    name = f"verify_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = with_database(server_url, name)
    try:
        if migrated:
            apply_migrations(url)
        yield url
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
