"""Fixtures of the operations tools' tests: recorded log samples, moto's server, a stage."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from opstools.stage import Stage

if TYPE_CHECKING:
    from collections.abc import Callable

    from stackspec.deployed import LogGroup

RECORDED = Path(__file__).parent / "recorded"
# The recordings come from a stage of that name, with the default project.
RECORDED_STAGE = Stage("dev")


def recording(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def recorded() -> dict[str, Any]:
    """log_events.json: a stage's log events by group, and which ids belong to what."""
    return recording("log_events")


@pytest.fixture(scope="session")
def recorded_groups(recorded: dict[str, Any]) -> dict[str, LogGroup]:
    """Each recorded group's declaration; a recording the declaration lost fails here."""
    declared = RECORDED_STAGE.log_groups()
    missing = set(recorded["groups"]) - set(declared)
    assert not missing, f"recorded groups the templates no longer declare: {missing}"
    return {name: declared[name] for name in recorded["groups"]}


@pytest.fixture(scope="session")
def aws(s3_endpoint: str) -> Callable[[str], Any]:
    """A client of moto's server for any service (the session's S3 endpoint serves them all)."""
    import boto3
    from botocore.config import Config

    from localcloud.config import FAKE_AWS

    def client(service: str) -> Any:
        return boto3.client(  # type: ignore[call-overload]
            service,
            endpoint_url=s3_endpoint,
            region_name=FAKE_AWS["AWS_DEFAULT_REGION"],
            aws_access_key_id=FAKE_AWS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_AWS["AWS_SECRET_ACCESS_KEY"],
            # Live Tail goes to stream-<host>: moto answers on the host itself.
            config=Config(inject_host_prefix=False),
        )

    return client


@pytest.fixture
def stage() -> Stage:
    """A stage of its own on the shared moto server (stage names: a letter, 9 more at most)."""
    return Stage(f"t{uuid.uuid4().hex[:9]}")
