"""A stage's settings: deploy/stages/<stage>.toml gives every parameter of every stack a value.

`[all]` gives a value to every stack that declares the parameter; a `[<stack>]` table gives
one stack's own (the same name in both is refused: one place per value). There is no "use the
template's default": a default changed in a template would otherwise change every stage with
no diff in its stage file. What the deploy computes is never in the file: see `computed`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from deploytools import template, wiring, zones
from deploytools.stagecheck import ALL, as_parameter, problems, suggestion, table
from stackspec.model import ROOT

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from deploytools.template import Template
    from stackspec import Stack

STAGES = ROOT / "deploy" / "stages"
# What the deploy itself gives, and why, by parameter name.
COMPUTED = {
    "Stage": "the stage file's name",
    "ArtifactsBucket": "derived from Project, the account and the region",
}


class StageFileError(ValueError):
    """A stage file that is missing, unreadable, or not a complete and valid set of values."""


@dataclass(frozen=True)
class StageSettings:
    """The values of one stage file, per stack, as CloudFormation takes them (strings)."""

    path: Path
    values: Mapping[str, Mapping[str, str]]  # stack -> parameter -> value

    def shared(self, name: str) -> str:
        """A value of [all] the tool reads too (Project, Runtime, Architecture)."""
        for values in self.values.values():
            if name in values:
                return values[name]
        raise KeyError(f"{self.path}: no stack declares {name}")

    @property
    def project(self) -> str:
        return self.shared("Project")

    @property
    def runtime(self) -> str:
        return self.shared("Runtime")

    @property
    def arch(self) -> str:
        return self.shared("Architecture")


def path(stage: str, directory: Path = STAGES) -> Path:
    """Where the stage's file is."""
    return directory / f"{stage}.toml"


def load(file: Path, stacks: Sequence[Stack]) -> StageSettings:
    """The stage file's values; StageFileError, naming the file, listing every problem."""
    if not file.is_file():
        raise StageFileError(
            f"{shown(file)}: no such stage file. Every stage has one, with every parameter of "
            f"every stack (copy {shown(path('dev', file.parent))} and edit it; docs/deploy.md)"
        )
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StageFileError(f"{shown(file)}: not TOML: {exc}") from exc
    given = computed(stacks)
    wanted = file_parameters(stacks, given)
    found = problems(data, stacks, wanted, given)
    if found:
        lines = "\n".join(f"  - {problem}" for problem in found)
        raise StageFileError(f"{shown(file)} is not a valid stage file:\n{lines}")
    return StageSettings(file, resolve(data, stacks, wanted))


def resolve(
    data: Mapping[str, object], stacks: Sequence[Stack], wanted: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, str]]:
    """Each stack's values: its own table, then [all]; for a file `problems` accepts."""
    shared = table(data, ALL)
    resolved: dict[str, dict[str, str]] = {}
    for stack in stacks:
        own = table(data, stack.name)
        resolved[stack.name] = {
            name: str(as_parameter(own[name] if name in own else shared[name]))
            for name in wanted[stack.name]
        }
    return resolved


def file_parameters(
    stacks: Sequence[Stack], given: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, tuple[str, ...]]:
    """Per stack, the parameters its stage file gives: all it declares but what is computed."""
    given = computed(stacks) if given is None else given
    return {
        stack.name: tuple(name for name in stack.declared if name not in given[stack.name])
        for stack in stacks
    }


def computed(stacks: Sequence[Stack]) -> dict[str, dict[str, str]]:
    """Per stack, the parameters the deploy gives itself -> why (never in a stage file)."""
    bodies = [(s.name, _wiring(s.template, s.template.stat().st_mtime_ns)) for s in stacks]
    found = {}
    for stack, fed in zip(stacks, wiring.feeds(bodies), strict=True):
        reasons = {name: why for name, why in COMPUTED.items() if name in stack.declared}
        for name in stack.layer_parameters:
            reasons[name] = "the layer's content-addressed key, computed by the build"
        for function in stack.functions:
            reasons[function.code_parameter] = (
                f"{function.artifact}'s content-addressed key, computed by the build"
            )
        for name, source in fed.items():
            reasons[name] = (
                "chosen when the network is created, then kept"
                if source == zones.SOURCE
                else f"the output of the {source} stack"
            )
        found[stack.name] = reasons
    return found


@cache
def _wiring(path: Path, modified: int) -> Template:
    """What wiring reads of a template (its parameters and outputs), parsed once per version."""
    body = template.load(path.read_text(encoding="utf-8"))
    return {"Parameters": body.get("Parameters", {}), "Outputs": body.get("Outputs", {})}


def add_tables(directory: Path, stacks: Sequence[Stack]) -> list[Path]:
    """Append to each stage file a table for each stack it lacks, with the templates' defaults.

    `make new-function` calls it, so that a new stack deploys with the values its template
    suggests until someone chooses others; the stage files' diff shows them for review.
    """
    changed = []
    wanted = file_parameters(stacks)
    for file in sorted(directory.glob("*.toml")):
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        shared = table(data, ALL)
        tables = [
            f"\n[{stack.name}]  # the template's defaults, written by make new-function\n"
            + "".join(
                f"{name} = {suggestion(stack.declared[name])}\n"
                for name in wanted[stack.name]
                if name not in shared
            )
            for stack in stacks
            if stack.name not in data
        ]
        if tables:
            with file.open("a", encoding="utf-8") as out:
                out.write("".join(tables))
            changed.append(file)
    return changed


def shown(file: Path) -> str:
    """The file's path from the repository's root, as users type it."""
    return str(file.relative_to(ROOT)) if file.is_relative_to(ROOT) else str(file)
