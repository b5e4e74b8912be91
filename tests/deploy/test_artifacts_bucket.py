"""The artifacts bucket: the CreateBucket request S3 accepts in each region, as it is sent."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from deploytools.execute import ensure_bucket
from deploytools.plan import Config


def sent_bodies(client: Any, operation: str) -> list[bytes]:
    """The serialised bodies of `operation`'s requests, recorded as they leave the client."""
    bodies: list[bytes] = []

    def record(request: Any, **_: Any) -> None:
        bodies.append(request.body or b"")

    client.meta.events.register(f"before-send.s3.{operation}", record)
    return bodies


def test_us_east_1_bucket_is_created_without_a_location_element(s3_endpoint: str) -> None:
    # GIVEN a client in us-east-1, where S3 answers MalformedXML to any
    # CreateBucketConfiguration, even an empty one
    import boto3

    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=s3_endpoint)
    bodies = sent_bodies(s3, "CreateBucket")
    config = Config("dev", project=f"p{uuid.uuid4().hex[:8]}", account_id="123456789012")

    # WHEN the tool creates the missing artifacts bucket
    assert ensure_bucket(s3, config)

    # THEN the request has no body at all
    assert bodies == [b""]
    s3.head_bucket(Bucket=config.artifacts_bucket)


@pytest.mark.parametrize("region", ["eu-west-1", "ap-southeast-2"])
def test_other_regions_name_their_location(s3_endpoint: str, region: str) -> None:
    import boto3

    s3 = boto3.client("s3", region_name=region, endpoint_url=s3_endpoint)
    bodies = sent_bodies(s3, "CreateBucket")
    config = Config(
        "dev", project=f"p{uuid.uuid4().hex[:8]}", region=region, account_id="123456789012"
    )

    assert ensure_bucket(s3, config)

    (body,) = bodies
    assert f"<LocationConstraint>{region}</LocationConstraint>".encode() in body


def test_existing_bucket_is_left_alone(s3_endpoint: str) -> None:
    import boto3

    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=s3_endpoint)
    config = Config("dev", project=f"p{uuid.uuid4().hex[:8]}", account_id="123456789012")
    assert ensure_bucket(s3, config)
    bodies = sent_bodies(s3, "CreateBucket")

    assert not ensure_bucket(s3, config)
    assert bodies == []
