"""A YAML reader for CloudFormation's short-form tags (`!Ref`, `!Sub`, `!GetAtt` ...)."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml's loader when PyYAML has it (its wheels do): reading the templates is most of what a
# tool does before its work starts, and CSafeLoader reads them about 10x faster.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """A safe loader that turns `!Tag value` into the long form `{"Fn::Tag": value}`."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    # `!Ref` and `!Condition` are the only short forms whose long form has no `Fn::`.
    return {suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}": value}


_Loader.add_multi_constructor("!", _intrinsic)


def loads(text: str) -> dict[str, Any]:
    """The template as plain data, intrinsic functions in their long form."""
    data = yaml.load(text, Loader=_Loader)  # noqa: S506  # nosec B506: a SafeLoader subclass
    if not isinstance(data, dict):
        raise ValueError("a CloudFormation template is a mapping")
    return data
