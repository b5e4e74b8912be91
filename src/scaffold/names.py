"""Which names a new function may take: its name is its package, stack, table and events folder.

Also part of bucket and queue names (no underscores there) and of CloudFormation logical ids.
"""

from __future__ import annotations

import importlib.util
import keyword
import re
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from stackspec import cfn_yaml

if TYPE_CHECKING:
    from pathlib import Path

NAME = re.compile(r"[a-z][a-z0-9]{1,19}")

# PostgreSQL's reserved key words, including those allowed only as function or type names
# (PostgreSQL manual, appendix C): neither can name a table without quotes.
SQL_RESERVED = frozenset(
    """
    all analyse analyze and any array as asc asymmetric authorization binary both case cast
    check collate collation column concurrently constraint create cross current_catalog
    current_date current_role current_schema current_time current_timestamp current_user
    default deferrable desc distinct do else end except false fetch for foreign freeze from
    full grant group having ilike in initially inner intersect into is isnull join lateral
    leading left like limit localtime localtimestamp natural not notnull null offset on only or
    order outer overlaps placing primary references returning right select session_user similar
    some symmetric system_user table tablesample then to trailing true union unique user using
    variadic verbose when where window with
    """.split()
)

# Resource properties whose values must be unique in an account and region (or in the local
# cloud), and the tooling's own local names: two stacks declaring the same one collide.
_NAME_PROPERTIES = frozenset(
    {"FunctionName", "QueueName", "BucketName", "LogGroupName", "LayerName", "TableName", "Name"}
)


class InvalidNameError(ValueError):
    """The name cannot be a new function's: the message says why."""


def check_name(name: str, root: Path) -> None:
    """Raise InvalidNameError unless `name` fits the patterns and nothing of the repo has it."""
    if NAME.fullmatch(name) is None:
        raise InvalidNameError(
            f"NAME must be 2 to 20 lowercase letters or digits, starting with a letter"
            f" (it names the package, the stack, the table, and buckets and queues, where"
            f" underscores are not allowed): got {name!r}"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise InvalidNameError(f"{name!r} is a Python keyword: it cannot name a package")
    if name in SQL_RESERVED:
        raise InvalidNameError(f"{name!r} is a reserved word of SQL: it cannot name a table")
    if name in sys.stdlib_module_names:
        raise InvalidNameError(f"{name!r} would shadow the standard library module {name}")
    for taken in (f"src/{name}", f"tests/{name}", f"events/{name}"):
        if (root / taken).exists():
            raise InvalidNameError(f"{taken} already exists: pick another name")
    if (root / "deploy" / "cloudformation" / f"{name}.yaml").exists():
        raise InvalidNameError(f"deploy/cloudformation/{name}.yaml already exists")
    spec = importlib.util.find_spec(name)
    if spec is not None:
        where = spec.origin or ", ".join(spec.submodule_search_locations or ())
        raise InvalidNameError(f"{name!r} is already importable ({where}): pick another name")
    _check_table(name, root)


def _check_table(name: str, root: Path) -> None:
    created = re.compile(rf"CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?{name}\b", re.IGNORECASE)
    for migration in sorted((root / "migrations").glob("*.sql")):
        if created.search(migration.read_text(encoding="utf-8")):
            raise InvalidNameError(
                f"migrations/{migration.name} already creates a table named {name!r}"
            )


def check_free(template_text: str, case_names: set[str], root: Path) -> None:
    """Raise InvalidNameError when the new stack's names or event cases are already taken.

    Names compare as written (`${Project}-${Stage}-imports`), so a clash shows before any deploy;
    output keys too, since `make deploy` feeds outputs to the parameters of the same name.
    """
    wanted = declared_names(cfn_yaml.loads(template_text))
    for path in sorted((root / "deploy" / "cloudformation").glob("*.yaml")):
        taken = wanted & _declared_in(path, path.stat().st_mtime_ns)
        if taken:
            raise InvalidNameError(
                f"deploy/cloudformation/{path.name} already declares {', '.join(sorted(taken))}"
            )
    # tests load events by case name (tests/fixtures/events.py): case names are unique.
    existing = {path.name.split(".")[0] for path in (root / "events").glob("*/*.json")}
    clash = case_names & existing
    if clash:
        raise InvalidNameError(f"events/ already has cases named {', '.join(sorted(clash))}")


@cache
def _declared_in(path: Path, mtime_ns: int) -> frozenset[str]:
    # Parsed once per version of the file: creating several functions reads each stack once.
    return frozenset(declared_names(cfn_yaml.loads(path.read_text(encoding="utf-8"))))


def declared_names(template: dict[str, Any]) -> set[str]:
    """The unique names a template declares: resource names, local names and output keys."""
    names: set[str] = set(template.get("Outputs", {}))
    for resource in template.get("Resources", {}).values():
        local = resource.get("Metadata", {}).get("Tooling", {}).get("LocalName")
        if isinstance(local, str):
            names.add(local)
        for key, value in resource.get("Properties", {}).items():
            text = value.get("Fn::Sub") if isinstance(value, dict) else value
            if key in _NAME_PROPERTIES and isinstance(text, str):
                names.add(text)
    return names
