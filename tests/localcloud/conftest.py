"""Fixtures of the local cloud's tests: throwaway function packages, a gateway on a free port."""

from __future__ import annotations

import sys
import textwrap
import uuid
from typing import TYPE_CHECKING

import pytest

from localcloud.functions import FunctionHost
from localcloud.gateway import GatewayServer
from localcloud.routes import Routes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from mypy_boto3_sqs import SQSClient

# Echoes the event it received; counts its invocations since its module was imported.
ECHO_HANDLER = """
import base64, json
CALLS = 0
VERSION = "{version}"

def handler(event, context):
    global CALLS
    CALLS += 1
    if event.get("path") == "/crash":
        raise RuntimeError("boom")
    if event.get("path") == "/binary":
        return {{
            "statusCode": 200,
            "headers": {{"Content-Type": "image/png"}},
            "multiValueHeaders": {{"Set-Cookie": ["a=1", "b=2"]}},
            "body": base64.b64encode(bytes(range(256))).decode(),
            "isBase64Encoded": True,
        }}
    body = {{"event": event, "calls": CALLS, "version": VERSION,
            "request_id": context.aws_request_id}}
    return {{"statusCode": 200, "headers": {{"Content-Type": "application/json"}},
            "body": json.dumps(body)}}
"""


@pytest.fixture(scope="session")
def sqs_client(s3_endpoint: str) -> SQSClient:
    """An SQS client of the same emulator as s3_client."""
    import boto3

    return boto3.client("sqs", endpoint_url=s3_endpoint)


@pytest.fixture
def function_package(tmp_path: Path) -> Iterator[Callable[[str], FunctionHost]]:
    """Writes a package of handler code into tmp_path and returns a host for it."""
    sys.path.insert(0, str(tmp_path))
    hosts: list[FunctionHost] = []

    def make(source: str, env: dict[str, str] | None = None) -> FunctionHost:
        package = f"fn_{uuid.uuid4().hex[:8]}"
        folder = tmp_path / package
        folder.mkdir()
        (folder / "__init__.py").write_text("")
        (folder / "index.py").write_text(textwrap.dedent(source))
        host = FunctionHost(package, f"{package}.index.handler", (folder,), env or {})
        hosts.append(host)
        return host

    yield make
    for host in hosts:
        host.unload()
    sys.path.remove(str(tmp_path))


@pytest.fixture
def echo_host(function_package: Callable[[str], FunctionHost]) -> FunctionHost:
    """A host for the echo handler."""
    return function_package(ECHO_HANDLER.format(version="1"))


@pytest.fixture
def gateway_url(echo_host: FunctionHost) -> Iterator[str]:
    """The local gateway sending every path to the echo handler, on a free loopback port."""
    with GatewayServer(Routes.catch_all(echo_host)) as server:
        yield server.url
