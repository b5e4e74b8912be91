"""Render a trigger's template folder into the repository, paths and contents alike.

Plain substitution of placeholders that keep the templates readable (and checkable) as code:

| placeholder | becomes | where |
| --- | --- | --- |
| `skeleton` | the name (`orders`) | package, table, paths, URLs, resource names |
| `Skeleton` | the name in PascalCase (`Orders`) | CloudFormation logical ids and outputs |
| `NNNN` | the next migration number (`0005`) | the migration's file names |
| `PREVIOUS_MIGRATION` | the latest migration's id | the new migration's `-- depends:` |

templates/common/ goes with every trigger; templates/<trigger>/ holds the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scaffold.names import check_free, check_name
from stackspec.model import ROOT

TEMPLATES = Path(__file__).resolve().parent / "templates"
TRIGGERS = ("api", "sqs", "s3", "schedule", "dynamodb")
COMMON = "common"
_MIGRATION = re.compile(r"(\d{4})\.[^.]+\.sql")


@dataclass(frozen=True)
class File:
    """One file to create: its path from the repository root and its text."""

    path: Path
    text: str


def create(name: str, trigger: str, root: Path = ROOT) -> list[Path]:
    """Write the new function's files; refuses a taken name and never overwrites a file.

    Each stage file (deploy/stages/*.toml) gets a table for the new stack, with its template's
    defaults, appended: a stage file gives every parameter of every stack. Returns the files
    written, the stage files last.
    """
    files = checked(name, trigger, root)
    for file in files:
        target = root / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file.text, encoding="utf-8")
    return [file.path for file in files] + _extend_stage_files(root)


def _extend_stage_files(root: Path) -> list[Path]:
    from deploytools import stages
    from stackspec import load_stacks

    folder = stages.path("any", root / "deploy" / "stages").parent
    if not any(folder.glob("*.toml")):
        return []
    # not the cached reading: it may predate the template just written
    stacks = load_stacks.__wrapped__(root / "deploy" / "cloudformation")
    return [path.relative_to(root) for path in stages.add_tables(folder, stacks)]


def checked(name: str, trigger: str, root: Path = ROOT) -> list[File]:
    """The files `create` would write; raises InvalidNameError or FileExistsError instead."""
    check_name(name, root)
    files = render(name, trigger, root)
    (template,) = [f for f in files if f.path.parts[:2] == ("deploy", "cloudformation")]
    events = [f.path for f in files if f.path.parts[0] == "events" and f.path.suffix == ".json"]
    check_free(template.text, {path.name.split(".")[0] for path in events}, root)
    existing = [str(f.path) for f in files if (root / f.path).exists()]
    if existing:
        raise FileExistsError(f"refusing to overwrite {', '.join(existing)}")
    return files


def render(name: str, trigger: str, root: Path = ROOT) -> list[File]:
    """Every file of the trigger's templates with the placeholders substituted, by path."""
    if trigger not in TRIGGERS:
        raise ValueError(f"TRIGGER must be one of {', '.join(TRIGGERS)}: got {trigger!r}")
    number, previous = next_migration(root / "migrations")
    replacements = {
        "-- depends: PREVIOUS_MIGRATION\n": f"-- depends: {previous}\n" if previous else "",
        "NNNN": number,
        "Skeleton": name.capitalize(),
        "skeleton": name,
    }
    files: dict[Path, File] = {}
    for folder in (TEMPLATES / COMMON, TEMPLATES / trigger):
        for source in sorted(folder.rglob("*")):
            if not source.is_file() or "__pycache__" in source.parts:
                continue
            path = Path(_substitute(str(source.relative_to(folder)), replacements))
            if path in files:
                raise ValueError(f"{path} is in templates/{COMMON} and templates/{trigger}")
            text = _substitute(source.read_text(encoding="utf-8"), replacements)
            files[path] = File(path, text)
    return [files[path] for path in sorted(files)]


def next_migration(folder: Path) -> tuple[str, str | None]:
    """The next free migration number, and the id of the latest migration (None: no migration)."""
    found = sorted(
        (int(match.group(1)), path.name.removesuffix(".sql"))
        for path in folder.glob("*.sql")
        if (match := _MIGRATION.fullmatch(path.name))
    )
    if not found:
        return "0001", None
    number, latest = found[-1]
    return f"{number + 1:04d}", latest


def _substitute(text: str, replacements: dict[str, str]) -> str:
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    return text
