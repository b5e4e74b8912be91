"""What is wrong with a stage file, checked against the templates' parameter declarations.

Every problem names the table and the parameter, and says what to write instead: a missing
parameter comes with the line to add (the template's default as a starting value).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from stackspec import Parameter, Stack

ALL = "all"
SHARED = ("Project", "Runtime", "Architecture")
_TRUE_FALSE = {"true", "false"}


def problems(
    data: Mapping[str, object],
    stacks: Sequence[Stack],
    wanted: Mapping[str, Sequence[str]],
    computed: Mapping[str, Mapping[str, str]],
) -> list[str]:
    """Every problem of the file's data, in the order of the file then of the stacks."""
    by_name = {stack.name: stack for stack in stacks}
    found = []
    for key, value in data.items():
        if not isinstance(value, dict):
            found.append(f"{key} is outside any table: put it under [{ALL}] or a stack's table")
        elif key != ALL and key not in by_name:
            found.append(f"[{key}]: no such stack (stacks: {', '.join(by_name)})")
    shared = table(data, ALL)
    for name in shared:
        if not any(name in wanted[stack] for stack in by_name):
            found.append(f"[{ALL}] {name}: {_not_a_file_parameter(name, stacks, computed)}")
    missing: dict[str, list[Stack]] = {}
    for stack in stacks:
        own = table(data, stack.name)
        for name in own:
            if name not in wanted[stack.name]:
                why = _not_a_file_parameter(name, [stack], computed)
                found.append(f"[{stack.name}] {name}: {why}")
            elif name in SHARED:
                found.append(f"[{stack.name}] {name}: belongs in [{ALL}] (one value per stage)")
            elif name in shared:
                found.append(f"{name} is in [{ALL}] and in [{stack.name}]: keep one")
        for name in wanted[stack.name]:
            value = own.get(name, shared.get(name))
            if value is None:
                missing.setdefault(name, []).append(stack)
                continue
            refused = refusal(stack.declared[name], value)
            if refused:
                where = stack.name if name in own else ALL
                found.append(f"[{where}] {name} = {_literal(value)}: {refused} ({stack.name})")
    found += [_missing(name, owners) for name, owners in missing.items()]
    return found


def table(data: Mapping[str, object], key: str) -> dict[str, object]:
    """One table of the file (empty when absent or not a table: `problems` says so)."""
    found = data.get(key)
    return found if isinstance(found, dict) else {}


def _not_a_file_parameter(
    name: str, stacks: Sequence[Stack], computed: Mapping[str, Mapping[str, str]]
) -> str:
    for stack in stacks:
        if name in computed[stack.name]:
            return f"the deploy gives it ({computed[stack.name][name]}): remove it"
    if len(stacks) == 1:
        return f"the {stacks[0].name} template declares no such parameter"
    return "no template declares such a parameter"


def _missing(name: str, owners: Sequence[Stack]) -> str:
    """What to add, and where: [all] when several stacks share the name and its default."""
    lines = {stack.name: f"`{name} = {suggestion(stack.declared[name])}`" for stack in owners}
    names = ", ".join(lines)
    if len(owners) > 1 and len(set(lines.values())) == 1:
        return f"no value for {name} ({names}): add {lines[owners[0].name]} under [{ALL}]"
    where = ", ".join(f"{line} under [{stack}]" for stack, line in lines.items())
    return f"no value for {name} ({names}): add {where}"


def suggestion(parameter: Parameter) -> str:
    """The parameter's default as a TOML value, or what to write when it has none."""
    if parameter.default is None:
        return f'"<{parameter.type}: {parameter.description or "no default"}>"'
    if parameter.type == "Number" or parameter.type.startswith("List<Number"):
        return str(parameter.default)
    text = str(as_parameter(parameter.default))
    if {str(v).lower() for v in parameter.allowed_values} == _TRUE_FALSE:
        return text.lower()
    if parameter.type == "CommaDelimitedList" or parameter.type.startswith("List<"):
        return json.dumps([item for item in text.split(",") if item])
    return json.dumps(text)


def as_parameter(value: object) -> str | None:
    """A TOML value as CloudFormation takes it; None when it cannot be a parameter's value."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, bool | int | float | str) for v in value):
        return ",".join(str(as_parameter(v)) for v in value)
    return None


def refusal(parameter: Parameter, value: object) -> str | None:
    """Why CloudFormation would refuse the value for this parameter; None when it takes it."""
    text = as_parameter(value)
    if text is None:
        return "not a string, number, boolean or list of them"
    listed = parameter.type == "CommaDelimitedList" or parameter.type.startswith("List<")
    if isinstance(value, list) and not listed:
        return f"a list, for a parameter of type {parameter.type}"
    items = text.split(",") if listed else [text]
    numeric = parameter.type in ("Number", "List<Number>")
    for item in items:
        refused = _item_refusal(parameter, item, numeric=numeric)
        if refused:
            return refused
    return None


def _item_refusal(parameter: Parameter, item: str, *, numeric: bool) -> str | None:
    allowed = [str(as_parameter(v)) for v in parameter.allowed_values]
    if allowed and item not in allowed:
        return f"not one of {', '.join(allowed)}"
    if parameter.allowed_pattern and not re.fullmatch(parameter.allowed_pattern, item):
        return f"does not match {parameter.allowed_pattern}"
    if numeric:
        try:
            number = float(item)
        except ValueError:
            return "not a number"
        if parameter.min_value is not None and number < parameter.min_value:
            return f"below the minimum, {parameter.min_value:g}"
        if parameter.max_value is not None and number > parameter.max_value:
            return f"above the maximum, {parameter.max_value:g}"
    if parameter.min_length is not None and len(item) < parameter.min_length:
        return f"shorter than {parameter.min_length} characters"
    if parameter.max_length is not None and len(item) > parameter.max_length:
        return f"longer than {parameter.max_length} characters"
    return None


def _literal(value: object) -> str:
    return json.dumps(value) if isinstance(value, str | list) else str(as_parameter(value))
