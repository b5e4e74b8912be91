"""`make invoke STAGE=…`: the deployed function, its answer, timing and verdict.

moto runs a function's code only in Docker, which this machine lacks: the invocation goes to
moto's Docker-less Lambda, which answers what it is told to (a recorded answer), and the
log-tail parsing is checked on recorded Invoke responses.
"""

from __future__ import annotations

import base64
import io
import json
import urllib.request
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

import stackspec
from opstools import invoke
from stackspec import ApiTrigger
from stackspec.events import cases
from tests.opstools.conftest import recording

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from opstools.stage import Stage
    from stackspec.events import Case


class Recorded:
    """A recorded Invoke response, as boto3 returns it (its Payload a stream)."""

    def __init__(self, response: dict[str, Any]) -> None:
        self.response = response

    def invoke(self, **request: Any) -> dict[str, Any]:
        assert request["LogType"] == "Tail"
        return {
            **self.response,
            "Payload": io.BytesIO(json.dumps(self.response["Payload"]).encode()),
        }


def api_case(status: int) -> Case:
    """A case of a function behind the API whose expectation is that status."""
    function = next(f for f in stackspec.functions() if f.trigger(ApiTrigger))
    return next(c for c in cases(function) if c.response == {"statusCode": status})


def test_a_cold_invocation_gives_its_duration_and_init_time_from_the_log_tail() -> None:
    recorded = recording("invoke_responses")["responses"]["ok"]
    answer = invoke.invoke(Recorded(recorded), "f", {})
    report = answer.report
    assert report is not None
    assert (report.duration_ms, report.init_ms, report.max_used_mb) == (21.07, 798.64, 95)
    assert answer.payload["statusCode"] == 200
    assert len(answer.log_tail) == 4  # START, the function's line, END, REPORT with its X-Ray part


def test_the_verdict_prints_timing_tail_and_answer_and_matches_the_expectation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    recorded = recording("invoke_responses")["responses"]["ok"]
    answer = invoke.invoke(Recorded(recorded), "f", {})
    said: list[str] = []
    assert invoke.verdict(api_case(200), answer, "api (lambda-stack-dev-api)", said.append)
    assert said[0] == (
        "--- api (lambda-stack-dev-api): 21.07 ms (billed 22 ms), 95/512 MB, init 798.64 ms;"
        " cold start ---"
    )
    assert any("users listed count=2" in line for line in said)
    assert said[-1].startswith("match:")
    assert json.loads(capsys.readouterr().out)["statusCode"] == 200


def test_an_answer_that_differs_from_the_expectation_is_a_mismatch() -> None:
    recorded = recording("invoke_responses")["responses"]["ok"]
    answer = invoke.invoke(Recorded(recorded), "f", {})
    said: list[str] = []
    assert not invoke.verdict(api_case(201), answer, "api", said.append)
    assert said[-1].startswith("mismatch:") and "statusCode is 200, expected 201" in said[-1]


def test_a_function_that_raised_fails_with_its_error_condensed_from_the_tail() -> None:
    recorded = recording("invoke_responses")["responses"]["unhandled"]
    answer = invoke.invoke(Recorded(recorded), "f", {})
    said: list[str] = []
    assert not invoke.verdict(api_case(200), answer, "f", said.append)
    assert answer.function_error == "Unhandled"
    assert any(
        "UnsupportedEventError: the event is not an S3 notification "
        "(at sample_event/notifications.py:62 in object_refs)" in line
        for line in said
    )
    assert "status error (Runtime.Unknown); warm" in said[0]
    assert said[-1].startswith("error:")


def test_a_case_that_uploads_a_file_is_sent_to_make_import_instead() -> None:
    uploading = next(c for f in stackspec.functions() for c in cases(f) if c.upload)
    reason = invoke.skip_reason(uploading)
    assert reason is not None and f"make import STAGE=… FILE={uploading.upload}" in reason
    assert invoke.skip_reason(api_case(200)) is None


def test_a_case_for_an_empty_database_is_run_but_not_compared() -> None:
    empty = next(c for f in stackspec.functions() for c in cases(f) if c.empty_database)
    answer = invoke.Answer({"applied": []}, None, [])
    said: list[str] = []
    assert invoke.verdict(empty, answer, "f", said.append)
    assert said[-1].startswith("not compared:")


@pytest.fixture
def dockerless_lambda(s3_endpoint: str) -> Iterator[Callable[[str], None]]:
    """moto's Lambda without Docker; calling the fixture queues the next answer it gives."""

    def post(path: str, body: dict[str, Any]) -> None:
        request = urllib.request.Request(  # noqa: S310 - the loopback moto server
            s3_endpoint + path, data=json.dumps(body).encode(), method="POST"
        )
        urllib.request.urlopen(request).read()  # noqa: S310 # nosec B310

    post("/moto-api/config", {"lambda": {"use_docker": False}})
    try:
        yield lambda answer: post(
            "/moto-api/static/lambda-simple/response", {"results": [answer], "region": "us-east-1"}
        )
    finally:  # the rehearsal in this worker creates functions in the Docker backend
        post("/moto-api/config", {"lambda": {"use_docker": True}})


def test_the_deployed_function_is_invoked_by_its_declared_name(
    aws: Callable[[str], Any], stage: Stage, dockerless_lambda: Callable[[str], None]
) -> None:
    # GIVEN the function deployed in moto under the name the declaration gives it in the stage
    case = api_case(200)
    function = next(f for f in stackspec.functions() if f.trigger(ApiTrigger))
    role = aws("iam").create_role(RoleName=f"{stage.name}-role", AssumeRolePolicyDocument="{}")
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return None\n")
    client = aws("lambda")
    client.create_function(
        FunctionName=stage.function_name(function),
        Runtime="python3.13",
        Role=role["Role"]["Arn"],
        Handler=function.handler,
        Code={"ZipFile": code.getvalue()},
    )
    recorded = recording("invoke_responses")["responses"]["ok"]["Payload"]
    dockerless_lambda(json.dumps(recorded))
    # WHEN it is invoked with the case's event
    answer = invoke.invoke(client, stage.function_name(function), case.event)
    # THEN its answer comes back; moto sends no log tail, so there is no timing to show
    assert answer.payload == recorded
    assert answer.report is None and answer.log_tail == []
    said: list[str] = []
    assert invoke.verdict(case, answer, function.name, said.append)
    assert "no REPORT line" in said[0]


def test_a_log_tail_keeps_a_traceback_in_one_line() -> None:
    tail = base64.b64decode(recording("invoke_responses")["responses"]["unhandled"]["LogResult"])
    lines = invoke.log_lines(tail.decode())
    assert [line.split(" ", 1)[0] for line in lines] == ["START", "[ERROR]", "END", "REPORT"]
