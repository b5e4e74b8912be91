"""The zones of a new stage's subnets, by zone ID, chosen once when its network is created.

Zone names (us-east-1a) map to different physical zones in each account; zone IDs
(use1-az1) do not. Lambda cannot place a function's network interfaces in every zone ID
("The provided subnets contain availability zone Lambda doesn't support").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from deploytools.template import Template

# The template parameter the tool fills, and where `make deploy-plan` says its value comes from.
PARAMETER = "AvailabilityZoneIds"
SOURCE = "describe-availability-zones"
# Zone IDs reported to reject Lambda's network interfaces; the choice skips them.
LAMBDA_UNSUPPORTED = frozenset({"use1-az3"})
ZONES = 2


def choose(ec2: Any, count: int = ZONES) -> list[str]:
    """The first `count` zone IDs of the region (sorted) where Lambda runs, as a stable choice."""
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    usable = sorted(
        zone["ZoneId"]
        for zone in zones
        if zone.get("ZoneType", "availability-zone") == "availability-zone"
        and zone.get("State") == "available"
        and zone["ZoneId"] not in LAMBDA_UNSUPPORTED
    )
    if len(usable) < count:
        raise RuntimeError(f"the region has {len(usable)} usable zones, {count} are needed")
    return usable[:count]


def values(ec2: Any, body: Template, known: Mapping[str, str]) -> dict[str, str]:
    """The zones to pass when the stack declares the parameter and has no value for it yet.

    `known` holds the values the stack would get without them (given, previous, defaults).
    """
    if PARAMETER not in body.get("Parameters", {}) or known.get(PARAMETER):
        return {}  # an existing stage keeps its zones: others would replace its subnets
    return {PARAMETER: ",".join(choose(ec2))}


def kept(body: Template, known: Mapping[str, str]) -> dict[str, str]:
    """The zones an existing network keeps (its previous value), when the stack declares them."""
    if PARAMETER in body.get("Parameters", {}) and known.get(PARAMETER):
        return {PARAMETER: known[PARAMETER]}
    return {}
