"""The GitHub workflows agree with the Makefile (actionlint and zizmor run in `make test`)."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import yaml

from stackspec.model import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def steps() -> list[dict[str, Any]]:
    found = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job in workflow["jobs"].values():
            found += job.get("steps", [])
    return found


def test_every_workflow_installs_the_uv_and_the_python_the_makefile_and_the_repo_pin() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    (uv_version,) = re.findall(r"^UV_VERSION := (\S+)$", makefile, re.MULTILINE)
    uses = [(s["uses"].split("@")[0], s.get("with", {})) for s in steps() if "uses" in s]
    uv = [given["version"] for action, given in uses if action == "astral-sh/setup-uv"]
    python = [given for action, given in uses if action == "actions/setup-python"]
    assert uv and set(uv) == {uv_version}
    assert python and all(given == {"python-version-file": ".python-version"} for given in python)


def test_a_prebuilt_deploy_builds_nothing_and_a_plain_one_builds_and_verifies() -> None:
    def dry_run(*variables: str) -> str:
        command = ["make", "--no-print-directory", "-n", "-C", str(ROOT), "deploy", *variables]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    prebuilt, plain = dry_run("STAGE=dev", "PREBUILT=1"), dry_run("STAGE=dev")
    for step in ("build-app.sh", "build-layer.sh", "buildtools.verify"):
        assert step not in prebuilt and step in plain
    assert "deploytools deploy --stage dev" in prebuilt


def test_every_deploy_in_a_workflow_promotes_the_built_zips() -> None:
    deploys = [step["run"] for step in steps() if "make deploy" in step.get("run", "")]
    assert deploys and all("PREBUILT=1" in run for run in deploys)
