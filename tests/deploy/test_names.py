"""Lengths AWS limits: names at the longest the parameters allow, in the longest region name,
and the template bodies the tool sends."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from deploytools.plan import Config
from tests.deploy.templates import NAMES, load, resources

S3_BUCKET_NAME_MAX = 63
ACCOUNT_ID_LENGTH = 12


def longest_region() -> str:
    """The longest region name of every partition botocore knows (GovCloud, China, ISO...)."""
    import botocore

    endpoints = Path(botocore.__file__).parent / "data" / "endpoints.json"
    partitions = json.loads(endpoints.read_text())["partitions"]
    return max((region for p in partitions for region in p["regions"]), key=len)


def max_length(spec: dict[str, Any]) -> int:
    """The longest value a String parameter accepts, from its MaxLength or AllowedPattern."""
    if "MaxLength" in spec:
        return int(spec["MaxLength"])
    if "AllowedValues" in spec:
        return max(len(str(v)) for v in spec["AllowedValues"])
    assert "AllowedPattern" in spec, "an unbounded parameter in a name"
    _, longest = re._parser.parse(spec["AllowedPattern"]).getwidth()
    assert longest < 1000, f"{spec['AllowedPattern']} has no upper bound"
    return int(longest)


def longest(template: str, text: str) -> str:
    """The Fn::Sub text with every ${...} at its longest."""
    parameters = load(template)["Parameters"]
    pseudo = {"AWS::AccountId": "9" * ACCOUNT_ID_LENGTH, "AWS::Region": longest_region()}

    def widest(match: re.Match[str]) -> str:
        name = match.group(1)
        return pseudo[name] if name in pseudo else "x" * max_length(parameters[name])

    return re.sub(r"\$\{([^}]+)\}", widest, text)


BUCKETS = [
    (name, logical_id, bucket["Properties"]["BucketName"]["Fn::Sub"])
    for name in NAMES
    for logical_id, bucket in resources(name, "AWS::S3::Bucket").items()
]


@pytest.mark.parametrize(("template", "logical_id", "pattern"), BUCKETS)
def test_bucket_name_fits_at_the_longest_parameters(
    template: str, logical_id: str, pattern: str
) -> None:
    name = longest(template, pattern)
    assert len(name) <= S3_BUCKET_NAME_MAX, f"{logical_id}: {name} ({len(name)} characters)"


def test_artifacts_bucket_fits_with_the_longest_project() -> None:
    project = "x" * max_length(load("vpc")["Parameters"]["Project"])
    config = Config("dev", project=project, account_id="9" * 12, region=longest_region())
    assert len(config.artifacts_bucket) <= S3_BUCKET_NAME_MAX


def test_longest_region_is_a_real_one() -> None:
    # the bound above is only as good as the region list it reads
    assert len(longest_region()) >= len("ap-southeast-2")


@pytest.mark.parametrize("name", NAMES)
def test_rendered_template_fits_cloudformations_template_body(name: str) -> None:
    # Above 51,200 bytes CloudFormation wants the template from S3 (TemplateURL) instead.
    from deploytools import apigateway, template
    from tests.deploy.templates import TEMPLATE_DIR

    body = template.load((TEMPLATE_DIR / f"{name}.yaml").read_text())
    rendered = template.dump(apigateway.with_deployment_identity(body, template.defaults(body)))
    assert len(rendered.encode()) <= 51_200
