"""cfn-lint and checkov over every template: no error, no warning, no failed check."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.templates import CHECKED, ROOT, TEMPLATE_DIR, load

pytestmark = pytest.mark.heavy  # tests/conftest.py: scheduled first

CHECKOV_PROJECT = ROOT / "tools" / "checkov"


@pytest.mark.parametrize("name", CHECKED)
def test_cfn_lint_finds_no_error_or_warning(name: str) -> None:
    from cfnlint.api import ManualArgs, lint_file

    matches = lint_file(TEMPLATE_DIR / f"{name}.yaml", config=ManualArgs(regions=["us-east-1"]))
    assert [f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches] == []


def suppressions() -> dict[tuple[str, str], str]:
    """Every checkov skip in the templates: (logical id, check id) -> the written reason."""
    found = {}
    for name in CHECKED:
        for logical_id, resource in load(name)["Resources"].items():
            skips = resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
            for skip in skips:
                found[(logical_id, skip["id"])] = skip.get("comment", "")
    return found


def test_every_checkov_suppression_says_why() -> None:
    short = [key for key, reason in suppressions().items() if len(reason.split()) < 12]
    assert short == [], "each suppression needs a reason of a sentence or more"


def checkov_command() -> list[str]:
    """checkov from its own locked environment (tools/checkov), synced when missing."""
    binary = CHECKOV_PROJECT / ".venv" / "bin" / "checkov"
    if not binary.exists():
        uv = os.environ.get("UV") or shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
        if not Path(uv).exists() and shutil.which(uv) is None:
            pytest.fail("uv not found: run `make test`, which installs it and syncs tools/checkov")
        subprocess.run([uv, "sync", "--frozen", "--project", str(CHECKOV_PROJECT)], check=True)
    return [str(binary)]


def run_checkov() -> dict[str, Any]:
    # One process over the templates (checkov takes seconds to start); --skip-download keeps
    # it offline. From inside the folder: checkov scans each template's path with the Lambda
    # environment for secrets (bridgecrewio/checkov#7310), and an absolute path can look like an
    # AWS secret key (a run of 40 such characters: /tmp/pytest-of-root/pytest-123/repository0/
    # deploy/cloudformation/s3-lambda.yaml), so the check failed or passed by checkout path.
    result = subprocess.run(
        [
            *checkov_command(),
            *("--directory", ".", "--framework", "cloudformation"),
            *("--skip-download", "--compact", "--output", "json"),
        ],
        cwd=TEMPLATE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip().startswith(("{", "[")), result.stderr[-2000:]
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def test_checkov_has_no_failed_check_and_skips_only_what_the_templates_say() -> None:
    report = run_checkov()

    failed = [
        f"{c['check_id']} {c['resource']} ({c['file_path']})"
        for c in report["results"]["failed_checks"]
    ]
    assert failed == []
    skipped = {
        (c["resource"].split(".")[-1], c["check_id"]) for c in report["results"]["skipped_checks"]
    }
    assert skipped == set(suppressions())
    assert report["summary"]["parsing_errors"] == 0
