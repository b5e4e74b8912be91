"""Metrics in embedded metric format, and one log line per failed request, with its request id."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import io

    import psycopg
    import pytest

    from tests.sample_api.conftest import DownDatabase, Invoke

REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"  # events/*.json requestContext.requestId


def _emf(stdout: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in stdout.splitlines() if line.startswith('{"_aws"')]
    return [line for line in lines if "CloudWatchMetrics" in line["_aws"]]


def _problems(log: io.StringIO) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in log.getvalue().splitlines()]
    return [record for record in records if record["level"] in {"WARNING", "ERROR"}]


def test_created_user_counts_one_users_created(
    api: Invoke, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert api("post_user", body={"name": "Ada", "email": "ada@example.com"}).status == 201
    metrics = _emf(capsys.readouterr().out)
    assert len(metrics) == 1
    assert metrics[0]["UsersCreated"] == [1.0]
    assert metrics[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "ServerlessBackend"


def test_taken_email_counts_no_user_created(
    api: Invoke, capsys: pytest.CaptureFixture[str]
) -> None:
    api("post_user", body={"name": "Ada", "email": "ada@example.com"})
    capsys.readouterr()
    assert api("post_user", body={"name": "Ada", "email": "ADA@example.com"}).status == 409
    assert not any("UsersCreated" in line for line in _emf(capsys.readouterr().out))


def test_unexpected_error_is_logged_once_with_the_request_id(
    api: Invoke, db: psycopg.Connection[Any], log_output: io.StringIO
) -> None:
    db.execute("ALTER TABLE users RENAME TO users_elsewhere")
    try:
        assert api("get_users").status == 500
    finally:
        db.execute("ALTER TABLE users_elsewhere RENAME TO users")
    [problem] = _problems(log_output)
    assert problem["level"] == "ERROR"
    assert problem["correlation_id"] == REQUEST_ID


def test_database_down_is_logged_once_with_the_request_id(
    api: Invoke,
    database_down: DownDatabase,
    log_output: io.StringIO,
) -> None:
    assert api("get_users").status == 503
    [problem] = _problems(log_output)
    assert problem["message"] == "database unavailable"
    assert problem["correlation_id"] == REQUEST_ID
