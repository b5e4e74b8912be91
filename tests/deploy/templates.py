"""The templates as data (cfn-lint's YAML reader understands the short-form tags)."""

from __future__ import annotations

from functools import cache
from typing import Any

from cfnlint.decode import decode

import stackspec
from stackspec.model import ROOT

TEMPLATE_DIR = stackspec.TEMPLATES
NAMES = tuple(stack.name for stack in stackspec.load_stacks())  # what `make deploy` deploys
# What cfn-lint and checkov check: the deployed templates and the bootstrap ones (ci.yaml).
CHECKED = NAMES + tuple(path.stem for path in stackspec.bootstrap_templates())

__all__ = ["CHECKED", "NAMES", "ROOT", "TEMPLATE_DIR", "functions", "load", "resources"]


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


def all_resources(kind: str) -> dict[str, dict[str, Any]]:
    """Every template's resources of one type, by `<stack>/<logical id>`."""
    return {f"{name}/{k}": v for name in NAMES for k, v in resources(name, kind).items()}


def functions() -> dict[str, dict[str, Any]]:
    """Every Lambda function of every template, by logical id."""
    found: dict[str, dict[str, Any]] = {}
    for name in NAMES:
        found.update(resources(name, "AWS::Lambda::Function"))
    return found
