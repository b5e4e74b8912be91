"""`make invoke` with no `make dev` running: the function from the folder, the verdict beside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from localcloud import declared, triggers
from stackspec.events import cases

pytestmark = pytest.mark.heavy  # tests/conftest.py: scheduled first

if TYPE_CHECKING:
    import psycopg

    from stackspec import Function

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """No local cloud for this data folder, no S3 endpoint, the worker's database."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
    clean.update(
        PYTHONPATH=str(REPO / "src"), LOCAL_DATA_DIR=str(tmp_path), DATABASE_URL=database_url
    )
    return clean


def invoke(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "localcloud.invoke", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=env["LOCAL_DATA_DIR"],
    )


def first(condition: Any) -> Function:
    found = [f for f in stackspec.functions() if condition(f)]
    assert found, "the sample stack declares such a function"
    return found[0]


def write_case(folder: Path, name: str, event: Any, expected: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.expected.json").write_text(json.dumps(expected), encoding="utf-8")
    path = folder / f"{name}.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def api_get_event() -> tuple[Function, Any]:
    """An API function and a GET event of its own sample cases."""
    api = first(triggers.api_paths)
    event = next(c.event for c in cases(api) if c.event.get("httpMethod") == "GET")
    return api, event


def test_each_case_of_a_bucket_fed_function_uploads_its_file_and_matches(
    env: dict[str, str], db: psycopg.Connection[Any]
) -> None:
    # GIVEN the sample cases of a function whose queue a bucket feeds
    function = first(lambda f: declared.bucket_sources([f]))
    found = cases(function)
    # WHEN they are invoked with nothing running
    result = invoke(env, *(case.path for case in found))
    # THEN each ran on an in-memory S3 of its own, got its file where it points, and matches
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(f"invoking {function.name} with ") == len(found)
    assert "with an in-memory S3 of its own" in result.stderr
    assert result.stderr.count("uploaded ") >= sum(1 for case in found if case.upload)
    assert result.stderr.count("match: ") == len(found)


def test_the_folder_names_the_function_and_a_differing_answer_is_a_mismatch(
    env: dict[str, str], tmp_path: Path
) -> None:
    # GIVEN two cases of one event in a folder named after its function, one expecting a 418
    api, event = api_get_event()
    folder = tmp_path / api.name
    good = write_case(folder, "good", event, {"response": {"statusCode": 200}})
    teapot = write_case(folder, "teapot", event, {"response": {"statusCode": 418}})
    # WHEN
    result = invoke(env, good, teapot)
    # THEN both ran on that function; the second is a mismatch, which exits 1
    assert result.stderr.count(f"invoking {api.name} with ") == 2
    assert f"match: {good} (good.expected.json)" in result.stderr
    assert (
        f"mismatch: {teapot}: response.statusCode is 200, expected 418 (teapot.expected.json)"
        in result.stderr
    )
    assert result.returncode == 1


def test_an_event_outside_a_function_folder_needs_function(
    env: dict[str, str], tmp_path: Path
) -> None:
    api, event = api_get_event()
    elsewhere = write_case(tmp_path / "elsewhere", "listed", event, {"response": {}})
    # an unknown folder is refused, saying what to do
    refused = invoke(env, elsewhere)
    assert refused.returncode == 1
    assert "'elsewhere'" in refused.stderr and "FUNCTION=" in refused.stderr
    # and FUNCTION= (--function) names the function instead
    overridden = invoke(env, "--function", api.name, elsewhere)
    assert overridden.returncode == 0, overridden.stderr
    assert f"invoking {api.name} with {elsewhere}" in overridden.stderr


def test_a_case_for_an_empty_database_gets_a_fresh_one_dropped_afterwards(
    env: dict[str, str], db: psycopg.Connection[Any]
) -> None:
    # GIVEN a sample case that must run on a database with no migration applied
    case = next(c for f in stackspec.functions() for c in cases(f) if c.empty_database)
    # WHEN
    result = invoke(env, case.path)
    # THEN it matched there, and the database it ran on is gone
    assert result.returncode == 0, result.stderr
    assert f"match: {case.path}" in result.stderr
    leftovers = db.execute("SELECT datname FROM pg_database WHERE datname LIKE 'invoke_%'")
    assert leftovers.fetchall() == []


def test_invoke_refuses_a_file_that_is_not_json(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = invoke(env, bad)
    assert result.returncode == 1
    assert "cannot read a JSON event" in result.stderr


def test_invoke_refuses_an_expectation_given_as_the_event(env: dict[str, str]) -> None:
    expectation = next(REPO.glob("events/*/*.expected.json"))
    result = invoke(env, expectation)
    assert result.returncode == 1
    assert "an expectation, not an event" in result.stderr
