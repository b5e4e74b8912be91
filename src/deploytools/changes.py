"""What a change set does to each resource, and which changes put data at risk.

A resource holds data when its type does (STATEFUL_TYPES), or when a template keeps it on
deletion or replacement (`DeletionPolicy` or `UpdateReplacePolicy` Retain or Snapshot): the
types come from the templates, never from the resources' names. `make deploy` refuses to
replace, remove, or change in a way known only at execution (`Dynamic`) a resource that holds
data, unless ALLOW_REPLACE=1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from deploytools.template import Template

STATEFUL_TYPES = frozenset(
    {
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::S3::Bucket",
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::GlobalTable",
        "AWS::SQS::Queue",  # messages waiting in it
        "AWS::KMS::Key",  # what it encrypted
        "AWS::Logs::LogGroup",  # the logs kept for their retention
        "AWS::SecretsManager::Secret",
        "AWS::EFS::FileSystem",
        "AWS::Kinesis::Stream",
    }
)
_KEPT = frozenset({"Retain", "RetainExceptOnCreate", "Snapshot"})
MAY_REPLACE = ("True", "Conditional")
REFUSED_MARK, STATEFUL_MARK = "!!", "!"
LEGEND = (
    f"({REFUSED_MARK}: make deploy refuses it without ALLOW_REPLACE=1; "
    f"{STATEFUL_MARK}: the resource holds data)"
)


@dataclass(frozen=True)
class Change:
    """One resource's change: Add, Modify, Remove, Import or Dynamic."""

    action: str
    logical_id: str
    resource_type: str
    replacement: str = ""  # for a Modify: True, False or Conditional
    stateful: bool = False
    causes: tuple[str, ...] = ()  # what recreates it: properties (and the parameter behind)
    policy: str = ""  # PolicyAction: Delete, Retain, Snapshot, ReplaceAndSnapshot...

    @property
    def refused(self) -> bool:
        """True for a change `make deploy` refuses without ALLOW_REPLACE=1."""
        risky = self.replacement in MAY_REPLACE or self.action in ("Remove", "Dynamic")
        return self.stateful and risky


def stateful(bodies: Iterable[Template]) -> dict[str, str]:
    """The resources that hold data, logical id -> type, in any of the templates given."""
    found = {}
    for body in bodies:
        for logical_id, resource in body.get("Resources", {}).items():
            kind = str(resource.get("Type", ""))
            policies = {resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy")}
            if kind in STATEFUL_TYPES or policies & _KEPT:
                found[logical_id] = kind
    return found


def classify(raw: Sequence[Mapping[str, Any]], bodies: Iterable[Template]) -> list[Change]:
    """DescribeChangeSet's `Changes`, as Change records, for the templates before and after."""
    holding = stateful(bodies)
    changes = []
    for item in raw:
        if item.get("Type", "Resource") != "Resource":
            continue
        change = item["ResourceChange"]
        logical_id = str(change["LogicalResourceId"])
        kind = str(change.get("ResourceType", ""))
        changes.append(
            Change(
                action=str(change.get("Action", "")),
                logical_id=logical_id,
                resource_type=kind,
                replacement=str(change.get("Replacement", "")),
                stateful=logical_id in holding or kind in STATEFUL_TYPES,
                causes=_causes(change.get("Details", [])),
                policy=str(change.get("PolicyAction", "")),
            )
        )
    return changes


def _causes(details: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The properties whose change recreates the resource, each with the parameter behind it."""
    parameters: dict[str, list[str]] = {}
    for detail in details:
        target = detail.get("Target", {})
        if target.get("RequiresRecreation", "Never") == "Never":
            continue
        found = parameters.setdefault(str(target.get("Name") or target.get("Attribute", "")), [])
        if detail.get("ChangeSource") == "ParameterReference" and detail.get("CausingEntity"):
            found.append(str(detail["CausingEntity"]))
    return tuple(
        name + (f" from parameter {', '.join(sorted(set(given)))}" if given else "")
        for name, given in parameters.items()
    )


def lines(changes: Sequence[Change]) -> list[str]:
    """One aligned line per change, marked when it holds data or would be refused."""
    if not changes:
        return []
    width_id = max(len(c.logical_id) for c in changes)
    width_type = max(len(c.resource_type) for c in changes)
    found = []
    for change in changes:
        mark = REFUSED_MARK if change.refused else STATEFUL_MARK if change.stateful else ""
        notes = []
        if change.replacement:
            cause = f" ({', '.join(change.causes)})" if change.causes else ""
            notes.append(f"Replacement: {change.replacement}{cause}")
        if change.action == "Dynamic":
            notes.append("decided at execution")
        if change.policy:
            notes.append(f"policy: {change.policy}")
        row = (
            f"  {mark:>2} {change.action:<8} {change.logical_id:<{width_id}}"
            f"  {change.resource_type:<{width_type}}  {'; '.join(notes)}"
        )
        found.append(row.rstrip())
    if any(change.stateful for change in changes):
        found.append(f"  {LEGEND}")
    return found


def refusal(stack_name: str, changes: Sequence[Change]) -> str | None:
    """Why `make deploy` would stop before executing the change set; None when it goes on."""
    refused = [c for c in changes if c.refused]
    if not refused:
        return None
    what = "; ".join(
        f"{c.action} {c.logical_id} ({c.resource_type}"
        + (f", Replacement: {c.replacement}" if c.replacement else "")
        + ")"
        for c in refused
    )
    return f"{stack_name} would replace or remove resources that hold data: {what}"
