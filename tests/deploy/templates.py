"""The four templates as data (cfn-lint's YAML reader understands the short-form tags)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.decode import decode

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIR = ROOT / "deploy" / "cloudformation"
NAMES = ("vpc", "db", "apigateway-lambda", "s3-lambda")


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed template deploy/cloudformation/<name>.yaml."""
    template, errors = decode(str(TEMPLATE_DIR / f"{name}.yaml"))
    assert not errors, errors
    assert template is not None
    return dict(template)


def resources(name: str, kind: str) -> dict[str, dict[str, Any]]:
    """The template's resources of one type, by logical id."""
    return {k: v for k, v in load(name)["Resources"].items() if v["Type"] == kind}


def functions() -> dict[str, dict[str, Any]]:
    """Every Lambda function of the four templates, by logical id."""
    found: dict[str, dict[str, Any]] = {}
    for name in NAMES:
        found.update(resources(name, "AWS::Lambda::Function"))
    return found
