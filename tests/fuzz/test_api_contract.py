"""Schemathesis holds the API to its own /openapi.json, over real HTTP through the local gateway.

Every check is on (`--checks all`): no 5xx, documented statuses, content types and headers,
response bodies that match their schemas, schema-valid requests accepted (2xx, 404 or 409),
schema-violating ones refused, unsupported methods answered 405 with Allow, and the stateful
phase follows the document's links (POST /users -> GET /users/{user_id}).
The bounded run has a fixed seed and belongs to `make test`; the long one to `make check-deep`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import psycopg

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
DEEP = os.environ.get("CHECK_DEEP") == "1"


def _fuzz(base_url: str, *limits: str, report_dir: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{base_url}/openapi.json",
        "--checks=all",
        "--workers=1",
        "--generation-database=none",
        "--suppress-health-check=all",
        f"--report-dir={report_dir}",
        "--report=junit",
        "--no-color",
        *limits,
    ]
    # Run in the report dir: schemathesis keeps state in ./.schemathesis of its working dir.
    return subprocess.run(
        command, capture_output=True, text=True, timeout=900, cwd=report_dir, check=False
    )


def _assert_passed(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    # Every phase ran, and the stateful one followed the document's link from POST to GET.
    for phase in ("Coverage", "Fuzzing", "Stateful"):
        assert f"✅  {phase}" in output, output[-3000:]
    assert "Unsupported regex" not in output  # a pattern schemathesis drops is not checked


def test_api_answers_bounded_fuzzing_as_its_document_says(
    api_url: str, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    result = _fuzz(api_url, "--seed=7", "--max-examples=20", report_dir=tmp_path)
    _assert_passed(result)
    # The stateful phase created users through the API, and GET found each one.
    assert db.execute("SELECT count(*) FROM users").fetchone() != (0,)


@pytest.mark.slow
@pytest.mark.skipif(not DEEP, reason="long fuzzing: make check-deep (CHECK_DEEP=1)")
def test_api_answers_long_fuzzing_as_its_document_says(api_url: str, tmp_path: Path) -> None:
    result = _fuzz(api_url, "--max-examples=1000", "--max-time=600", report_dir=tmp_path)
    _assert_passed(result)
