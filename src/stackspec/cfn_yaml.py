"""A YAML reader for CloudFormation's short-form tags (`!Ref`, `!Sub`, `!GetAtt` ...)."""

from __future__ import annotations

from typing import Any

import yaml


class _Loader(yaml.SafeLoader):
    """SafeLoader that turns `!Tag value` into the long form `{"Fn::Tag": value}`."""


def _intrinsic(loader: _Loader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_Loader.add_multi_constructor("!", _intrinsic)


def loads(text: str) -> dict[str, Any]:
    """The template as plain data, intrinsic functions in their long form."""
    data = yaml.load(text, Loader=_Loader)  # noqa: S506  # nosec B506: a SafeLoader subclass
    if not isinstance(data, dict):
        raise ValueError("a CloudFormation template is a mapping")
    return data
