"""Network rules a real account enforces and moto does not: security group paths, zones."""

from __future__ import annotations

import json
from typing import Any

import pytest

from deploytools import zones
from tests.deploy.templates import NAMES, load, resources


def covers_https(rule: dict[str, Any]) -> bool:
    return rule["IpProtocol"] in ("tcp", "-1") and rule["FromPort"] <= 443 <= rule["ToPort"]


def secrets_endpoint_exports() -> set[str]:
    """Export names of the security groups on the Secrets Manager interface endpoint."""
    (endpoint,) = [
        r
        for r in resources("vpc", "AWS::EC2::VPCEndpoint").values()
        if "secretsmanager" in str(r["Properties"]["ServiceName"])
    ]
    groups = endpoint["Properties"]["SecurityGroupIds"]
    return {
        str(output["Export"]["Name"])
        for output in load("vpc")["Outputs"].values()
        if output["Value"] in groups and "Export" in output
    }


def egress_of(template: str, group: str) -> list[dict[str, Any]]:
    inline = resources(template, "AWS::EC2::SecurityGroup")[group]["Properties"]
    rules = list(inline.get("SecurityGroupEgress", []))
    rules += [
        r["Properties"]
        for r in resources(template, "AWS::EC2::SecurityGroupEgress").values()
        if r["Properties"]["GroupId"] == {"Ref": group}
    ]
    return rules


def test_rds_proxy_can_reach_the_secrets_manager_endpoint_over_https() -> None:
    # GIVEN the proxy reads its secret itself, and the subnets have no NAT by default
    endpoint_exports = secrets_endpoint_exports()
    assert endpoint_exports, "the endpoint's security group is exported for the db stack"
    for proxy in resources("db", "AWS::RDS::DBProxy").values():
        assert {a["AuthScheme"] for a in proxy["Properties"]["Auth"]} == {"SECRETS"}
        for ref in proxy["Properties"]["VpcSecurityGroupIds"]:
            group = ref["Ref"]
            # THEN its group lets HTTPS out to the endpoint's group...
            assert any(
                covers_https(rule)
                and str(rule.get("DestinationSecurityGroupId", {}).get("Fn::ImportValue"))
                in endpoint_exports
                for rule in egress_of("db", group)
            ), f"{group} has no HTTPS egress to the Secrets Manager endpoint"
            # ...and the endpoint's group lets it in
            assert any(
                covers_https(r["Properties"])
                and str(r["Properties"]["GroupId"].get("Fn::ImportValue")) in endpoint_exports
                and r["Properties"]["SourceSecurityGroupId"] == {"Ref": group}
                for r in resources("db", "AWS::EC2::SecurityGroupIngress").values()
            ), f"the endpoint does not accept HTTPS from {group}"


def test_subnets_are_placed_by_zone_id_never_by_zone_name() -> None:
    for name in NAMES:
        assert "Fn::GetAZs" not in json.dumps(load(name)), name
    private = load("vpc")["Outputs"]["PrivateSubnetIds"]["Value"]["Fn::Join"][1]
    indexes = []
    for logical_id, subnet in resources("vpc", "AWS::EC2::Subnet").items():
        properties = subnet["Properties"]
        assert "AvailabilityZone" not in properties, logical_id
        index, zones_ref = properties["AvailabilityZoneId"]["Fn::Select"]
        assert zones_ref == {"Ref": zones.PARAMETER}, logical_id
        if {"Ref": logical_id} in private:
            indexes.append(index)
    assert sorted(indexes) == [0, 1], "the functions' two subnets sit in two different zones"


def stubbed_ec2(zone_list: list[dict[str, str]]) -> Any:
    import boto3
    from botocore.stub import Stubber

    ec2 = boto3.client(
        "ec2",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",  # noqa: S106 - not a secret
    )
    stubber = Stubber(ec2)
    stubber.add_response("describe_availability_zones", {"AvailabilityZones": zone_list})
    stubber.activate()
    return ec2


def zone(zone_id: str, zone_type: str = "availability-zone") -> dict[str, str]:
    return {
        "ZoneId": zone_id,
        "ZoneName": f"x-{zone_id}",
        "ZoneType": zone_type,
        "State": "available",
    }


def test_zone_choice_skips_zones_lambda_rejects_and_local_zones() -> None:
    ec2 = stubbed_ec2(
        [zone("use1-az6"), zone("use1-az3"), zone("use1-bos1-az1", "local-zone"), zone("use1-az4")]
    )
    assert zones.choose(ec2) == ["use1-az4", "use1-az6"]


def test_zone_choice_fails_clearly_in_a_region_with_one_usable_zone() -> None:
    with pytest.raises(RuntimeError, match="1 usable zones, 2 are needed"):
        zones.choose(stubbed_ec2([zone("use1-az3"), zone("use1-az1")]))
