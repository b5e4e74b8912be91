"""Pinned requirements from uv.lock, installed as wheels for the Lambda platform."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

from stackspec.model import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from buildtools.target import Target

# In the Lambda Python runtimes already (/var/runtime), and needed by nothing else we ship:
# boto3 and what only boto3 needs. jmespath stays: aws-lambda-powertools imports it itself.
RUNTIME_PROVIDED = frozenset(
    {"boto3", "botocore", "s3transfer", "urllib3", "python-dateutil", "six"}
)


def uv_binary() -> str:
    """The uv running us (`uv run` sets $UV), else the one on PATH, else the Makefile's."""
    project_uv = ROOT / ".tools" / "bin" / "uv"
    found = shutil.which(os.environ.get("UV", "uv")) or shutil.which(project_uv)
    if found is None:
        raise RuntimeError("uv not found: run through `make`, or put uv on PATH")
    return found


def export(project: Path, *, group: str | None = None) -> list[str]:
    """`name==version ; marker` lines: the runtime dependencies, or only one group's."""
    command = [uv_binary(), "export", "--frozen", "--no-hashes", "--no-emit-project"]
    command += ["--no-header", "--no-annotate"]
    command += ["--only-group", group] if group else ["--no-dev"]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if line and not line.startswith("#")]


def name_of(requirement: str) -> str:
    """The normalised distribution name of a requirement line."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    if match is None:
        raise ValueError(f"not a requirement line: {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group()).lower()


def install(requirements: list[str], destination: Path, target: Target, python: Path) -> None:
    """Install exactly these pins as binary wheels for the target (cached in uv's cache)."""
    destination.mkdir(parents=True, exist_ok=True)
    listing = destination.parent / f"{destination.name}.requirements.txt"
    listing.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    command = [uv_binary(), "pip", "install", "--quiet", "--no-config", "--no-deps"]
    command += ["--target", str(destination), "--python", str(python)]
    command += ["--python-version", target.python_version, "--python-platform", target.uv_platform]
    command += ["--only-binary", ":all:", "--link-mode", "copy", "-r", str(listing)]
    subprocess.run(command, check=True)
    listing.unlink()
    # Console scripts are of no use in Lambda; uv's lock file is of no use anywhere.
    shutil.rmtree(destination / "bin", ignore_errors=True)
    (destination / ".lock").unlink(missing_ok=True)
