"""The smoke test's parts that need no deployed stage (the rest: test_e2e, test_rehearsal)."""

from __future__ import annotations

import pytest

import stackspec
from deploytools import smoke, targets


def test_a_request_for_an_iam_api_is_signed_for_execute_api_in_the_region() -> None:
    import boto3

    session = boto3.Session(
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",  # noqa: S106 (AWS docs')
        region_name="eu-west-1",
    )
    url = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev/users?limit=20"
    headers = smoke.sigv4_headers(session, "eu-west-1")("GET", url)
    assert headers["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/eu-west-1/execute-api/aws4_request" in headers["Authorization"]
    assert "X-Amz-Date" in headers


def test_only_http_urls_are_requested() -> None:
    with pytest.raises(ValueError, match="not an HTTP URL"):
        smoke.sender(lambda _method, _url: {})("GET", "file:///etc/passwd")


def test_a_stage_without_the_expected_output_is_named_in_the_error() -> None:
    stacks = stackspec.load_stacks()
    empty = {s.name: targets.Deployed(outputs={}, parameters={}) for s in stacks}
    with pytest.raises(LookupError, match="expected one such output"):
        targets.find(stacks, empty)
