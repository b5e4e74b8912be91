"""Where a deployed stage answers, read from its stacks' outputs and the declaration.

The smoke test (deploytools.smoke) checks what it finds here. Nothing is named: the API is the
output of the stack declaring API functions whose value is an execute-api URL; the import path
is the bucket output of the stack whose queue function a bucket notifies, with the trigger's
prefix and suffix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stackspec import ApiTrigger, QueueTrigger, cfn_yaml
from stackspec.events import cases

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from stackspec import Function, Stack
    from stackspec.events import Case


@dataclass(frozen=True)
class Deployed:
    """One deployed stack: its outputs and parameter values by key."""

    outputs: Mapping[str, str]
    parameters: Mapping[str, str]


@dataclass(frozen=True)
class Api:
    """A deployed REST API and the sample requests that need nothing before them."""

    url: str
    auth: str  # AuthMode: none, iam (SigV4) or api-key
    key_id: str | None  # the API key's id, when auth is api-key
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class ImportPath:
    """A bucket whose objects under prefix, ending in suffix, reach a function through a queue."""

    bucket: str
    prefix: str
    suffix: str
    header: bytes  # the first line of the function's sample upload: a file with no row


def find(
    stacks: Iterable[Stack], deployed: Mapping[str, Deployed]
) -> tuple[list[Api], list[ImportPath]]:
    """The APIs and import paths of the deployed stacks (by stack name, as in the templates)."""
    apis, imports = [], []
    for stack in stacks:
        template = cfn_yaml.loads(stack.template.read_text(encoding="utf-8"))
        here = deployed[stack.name]
        for function in stack.functions:
            if function.trigger(ApiTrigger) is not None:
                apis.append(_api(function, template, here))
            trigger = function.trigger(QueueTrigger)
            if isinstance(trigger, QueueTrigger) and trigger.source is not None:
                buckets = stack.buckets
                bucket = _output(template, here, lambda v, b=buckets: _ref_of(v, b))
                header = sample_header(function)
                if header is not None:
                    imports.append(
                        ImportPath(bucket, trigger.source.prefix, trigger.source.suffix, header)
                    )
    return apis, imports


def _api(function: Function, template: dict[str, Any], here: Deployed) -> Api:
    url = _output(template, here, lambda v: "execute-api" in str(v.get("Fn::Sub", "")))
    auth = here.parameters.get("AuthMode", "none")
    keys = {k for k, r in template["Resources"].items() if r["Type"] == "AWS::ApiGateway::ApiKey"}
    key_id = _output(template, here, lambda v: _ref_of(v, keys)) if auth == "api-key" else None
    return Api(url.rstrip("/"), auth, key_id, reads(function))


def reads(function: Function) -> tuple[Case, ...]:
    """The function's sample GET requests that need no earlier case: safe on any stage."""
    return tuple(
        case
        for case in cases(function)
        if case.event.get("httpMethod") == "GET" and not case.after and case.response
    )


def _ref_of(value: Any, logical_ids: Iterable[str]) -> bool:
    return isinstance(value, dict) and value.get("Ref") in set(logical_ids)


def _output(template: dict[str, Any], here: Deployed, wanted: Any) -> str:
    """The deployed value of the one output whose template value `wanted` accepts."""
    keys = [
        key
        for key, spec in template.get("Outputs", {}).items()
        if isinstance(spec.get("Value"), dict) and wanted(spec["Value"])
    ]
    if len(keys) != 1 or keys[0] not in here.outputs:
        raise LookupError(f"expected one such output among {sorted(here.outputs)}, found {keys}")
    return here.outputs[keys[0]]


def sample_header(function: Function) -> bytes | None:
    """The first line of the function's sample upload: a file of its format with no row."""
    for case in cases(function):
        if case.upload:
            with (function.root / case.upload).open("rb") as sample:
                return sample.readline()
    return None
