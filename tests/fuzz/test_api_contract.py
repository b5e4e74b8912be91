"""Schemathesis holds the API to its own /openapi.json, over real HTTP through the local gateway.

Every check is on (`--checks all`): no 5xx, documented statuses, content types and headers,
response bodies that match their schemas, schema-valid requests accepted (2xx, 404 or 409),
schema-violating ones refused, unsupported methods answered 405 with Allow, and the stateful
phase follows the document's links (POST /users -> GET /users/{user_id}). Among the negative
bodies are arrays of users and objects with a duplicate key (tests/fuzz/hooks.py).
The bounded run has a fixed seed and belongs to `make test`; the long one to `make check-deep`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

pytestmark = pytest.mark.heavy  # tests/conftest.py: scheduled first

if TYPE_CHECKING:
    import psycopg

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
DEEP = os.environ.get("CHECK_DEEP") == "1"
REPO = Path(__file__).resolve().parents[2]
NEGATIVE_BODIES = "negative-bodies.tsv"


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
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SCHEMATHESIS_HOOKS": "tests.fuzz.hooks",  # negative bodies schemathesis cannot make
        "NEGATIVE_BODIES_LOG": str(report_dir / NEGATIVE_BODIES),
    }
    # Run in the report dir: schemathesis keeps state in ./.schemathesis of its working dir.
    return subprocess.run(
        command, capture_output=True, text=True, timeout=900, cwd=report_dir, env=env, check=False
    )


def _assert_passed(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    # Every phase ran, and the stateful one followed the document's link from POST to GET.
    for phase in ("Coverage", "Fuzzing", "Stateful"):
        assert f"✅  {phase}" in output, output[-3000:]
    assert "Unsupported regex" not in output  # a pattern schemathesis drops is not checked


def _assert_negative_bodies_refused(report_dir: Path) -> None:
    from tests.fuzz.hooks import BODIES

    # Arrays wrapping users and duplicate keys were among the negative bodies, each refused.
    sent = [line.split("\t") for line in (report_dir / NEGATIVE_BODIES).read_text().splitlines()]
    assert {name for name, _, _ in sent} == set(BODIES), sent
    assert all(mode == "negative" and 400 <= int(status) < 500 for _, mode, status in sent), sent


def test_api_answers_bounded_fuzzing_as_its_document_says(
    api_url: str, db: psycopg.Connection[Any], tmp_path: Path
) -> None:
    result = _fuzz(api_url, "--seed=7", "--max-examples=20", report_dir=tmp_path)
    _assert_passed(result)
    _assert_negative_bodies_refused(tmp_path)
    # The stateful phase created users through the API, and GET found each one.
    assert db.execute("SELECT count(*) FROM users").fetchone() != (0,)


@pytest.mark.slow
@pytest.mark.skipif(not DEEP, reason="long fuzzing: make check-deep (CHECK_DEEP=1)")
def test_api_answers_long_fuzzing_as_its_document_says(api_url: str, tmp_path: Path) -> None:
    result = _fuzz(api_url, "--max-examples=1000", "--max-time=600", report_dir=tmp_path)
    _assert_passed(result)
    _assert_negative_bodies_refused(tmp_path)
