"""The deploy's invocation of the migrations function: awaited past its timeout, never repeated."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from deploytools import migrations
from deploytools.plan import Config, deploy_plan
from tests.deploy.stagefiles import settings

if TYPE_CHECKING:
    from collections.abc import Iterator


def session() -> Any:
    import boto3

    return boto3.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - not a secret
        region_name="us-east-1",
    )


def test_the_plan_invokes_on_deploy_with_the_timeout_the_template_gives_the_function() -> None:
    plan = deploy_plan(Config("dev"), settings())
    invoked = {name: timeout for step in plan.stacks for name, timeout in step.invoke.items()}
    declared = {
        f.name_in("lambda-stack", "dev"): f.timeout
        for f in stackspec.functions()
        if f.invoke_on_deploy
    }
    assert invoked == declared != {}


def test_client_waits_longer_than_the_function_may_run_and_never_retries() -> None:
    timeouts = [
        t for step in deploy_plan(Config("dev"), settings()).stacks for t in step.invoke.values()
    ]
    assert timeouts
    for timeout in timeouts:
        config = migrations.client(session(), timeout).meta.config
        assert config.read_timeout > timeout
        assert config.retries["total_max_attempts"] == 1


class _Throttled(BaseHTTPRequestHandler):
    """Lambda's answer while the single reserved environment still runs the first attempt."""

    calls = 0

    def do_POST(self) -> None:
        type(self).calls += 1
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b'{"Type": "User", "message": "Rate Exceeded."}'
        self.send_response(429)
        self.send_header("x-amzn-ErrorType", "TooManyRequestsException")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def throttling_lambda(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Throttled]]:
    handler = type("Handler", (_Throttled,), {"calls": 0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL_LAMBDA", f"http://127.0.0.1:{server.server_port}")
    yield handler
    server.shutdown()
    server.server_close()


def test_a_throttled_invocation_is_not_sent_again(throttling_lambda: type[_Throttled]) -> None:
    from botocore.exceptions import ClientError

    client = migrations.client(session(), 300)

    with pytest.raises(ClientError, match="TooManyRequests"):
        migrations.run(client, "lambda-stack-dev-migrator")

    assert throttling_lambda.calls == 1
