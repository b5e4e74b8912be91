"""The log scanner finds each forbidden value in a function log line, and fails a whole run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.leaks import leaks_in, scan

REPO = Path(__file__).resolve().parents[2]


def powertools_line(message: str, **extra: object) -> str:
    record = {
        "level": "ERROR",
        "location": "handler:12",
        "message": message,
        "timestamp": "2026-11-28 23:57:23,928+0000",
        "service": "sample_api",
        "function_request_id": "1f7a1c67",
        **extra,
    }
    return json.dumps(record)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (powertools_line("user created", email="Ann@Example.org"), "email address"),
        (powertools_line("email taken: bob.smith+x@mail.example.co.uk"), "email address"),
        (
            powertools_line("connect failed", dsn="postgresql://app:s3cr3t@db.internal:5432/app"),
            "connection string",
        ),
        (powertools_line("connect", url="postgresql://app@db.internal/app"), "connection string"),
        (powertools_line("connect failed: host=db user=app password=s3cr3t"), "password value"),
        (powertools_line("secret fetched", secret={"password": "hunter2"}), "password value"),
        (powertools_line("secret", SecretString='{"username":"app"}'), "password value"),
        (powertools_line("request", headers={"Authorization": "x"}), "Authorization header"),
        (powertools_line("token Bearer eyJhbGciOiJIUzI1NiJ9.e30"), "Authorization header"),
        (json.dumps({"_aws": {"Timestamp": 1}, "email": "ann@example.org"}), "email address"),
    ],
)
def test_scanner_finds_forbidden_value_in_function_log_line(line: str, kind: str) -> None:
    assert kind in {leak.kind for leak in leaks_in(line)}


@pytest.mark.parametrize(
    "line",
    [
        powertools_line("user created", user_id=7, status=201),
        powertools_line("database unavailable", error="password authentication failed for user"),
        powertools_line("import failed", import_id="b1e8", bucket="sample-bucket"),
        powertools_line("secret fetched", password=None),
    ],
)
def test_scanner_accepts_a_clean_function_log_line(line: str) -> None:
    assert leaks_in(line) == []


def test_scanner_ignores_lines_our_functions_did_not_write() -> None:
    # GIVEN what tests print themselves: request bodies, plain text, JSON that is no log record
    output = "\n".join(
        [
            'POST /users {"name": "Ann", "email": "ann@example.org"}',
            json.dumps({"name": "Ann", "email": "ann@example.org"}),
            "password=hunter2",
        ]
    )
    # WHEN scanned THEN nothing counts
    assert scan(output) == []


def test_a_failure_without_request_or_import_id_is_a_finding() -> None:
    line = powertools_line("import failed", function_request_id=None, import_id=None)
    assert [leak.kind for leak in scan(line)] == ["failure logged without a request or import id"]


def test_a_failure_logged_twice_for_one_request_is_a_finding() -> None:
    first = powertools_line("database unavailable")
    again = powertools_line("unhandled error")
    assert [leak.kind for leak in scan(first + "\n" + again)] == ["failure logged more than once"]


def test_one_failure_per_import_of_one_batch_is_fine() -> None:
    lines = [powertools_line("import failed", import_id=str(n)) for n in range(3)]
    info = powertools_line("user created", user_id=1).replace('"ERROR"', '"INFO"')
    assert scan("\n".join([*lines, info, info])) == []


def test_one_failure_per_message_of_one_batch_is_fine_and_a_second_one_is_not() -> None:
    lines = [powertools_line("record failed", message_id=str(n)) for n in range(3)]
    assert scan("\n".join(lines)) == []
    again = powertools_line("record failed", message_id="1")
    assert [leak.kind for leak in scan("\n".join([*lines, again]))] == [
        "failure logged more than once"
    ]


def test_one_failure_per_stream_record_of_one_batch_is_fine() -> None:
    lines = [powertools_line("change rejected", sequence_number=str(n)) for n in range(3)]
    assert scan("\n".join(lines)) == []
    assert [leak.kind for leak in scan("\n".join([lines[0], lines[0]]))] == [
        "failure logged more than once"
    ]


def test_a_leak_in_any_test_fails_the_whole_run(tmp_path: Path) -> None:
    # GIVEN a suite where one test's function logs an email, under xdist like `make test`
    (tmp_path / "test_sample.py").write_text(
        "import json\n"
        "def line(**extra):\n"
        "    base = {'level': 'INFO', 'message': 'm', 'timestamp': 't', 'service': 's'}\n"
        "    return json.dumps({**base, **extra})\n"
        "def test_clean():\n"
        "    print(line(user_id=1))\n"
        "    print('body: ann@example.org')\n"
        "def test_leaky():\n"
        "    print(line(email='ann@example.org'))\n"
    )
    # Only xdist and our plugin: the other installed plugins take seconds to import.
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    # WHEN it runs with the plugin
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "xdist.plugin",
            "-n",
            "2",
            "-p",
            "tests.security.log_scan",
            "-p",
            "no:cacheprovider",
            "-q",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # THEN every test passed, yet the run fails and names the test and the finding
    assert "2 passed" in result.stdout, result.stdout
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout
    assert "test_sample.py::test_leaky: email address" in result.stdout
    assert "test_clean:" not in result.stdout
