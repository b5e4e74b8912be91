"""`make invoke STAGE=… EVENT=events/<function>/<case>.json`: the deployed function, once.

The same event files and expectations as the local `make invoke`. Lambda returns the last 4 KB
of the invocation's log with the answer (LogType=Tail): its REPORT line gives the duration and,
on a cold start, the init time.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opstools import lambda_text, render
from opstools.records import parse

if TYPE_CHECKING:
    from collections.abc import Callable

    from opstools.lambda_text import Report
    from stackspec.events import Case

# Lines of the log tail that belong to the line before them (a traceback, REPORT's X-Ray part).
_CONTINUATION = (" ", "\t", "Traceback", "XRAY TraceId")


@dataclass(frozen=True)
class Answer:
    """What Lambda answered: the function's return value or error, and the log tail."""

    payload: Any
    function_error: str | None  # "Unhandled" when the function raised
    log_tail: list[str]  # one entry per log line, continuation lines joined

    @property
    def report(self) -> Report | None:
        return next(
            (r for line in self.log_tail if (r := lambda_text.parse_report(line)) is not None), None
        )


def invoke(client: Any, function_name: str, event: Any) -> Answer:
    """One synchronous invocation with the log tail; the client decides timeouts and retries."""
    response = client.invoke(
        FunctionName=function_name, Payload=json.dumps(event).encode(), LogType="Tail"
    )
    raw = response["Payload"].read()
    try:
        payload = json.loads(raw or b"null")
    except ValueError:
        payload = raw.decode("utf-8", "replace")
    tail = base64.b64decode(response.get("LogResult") or "").decode("utf-8", "replace")
    return Answer(payload, response.get("FunctionError"), log_lines(tail))


def log_lines(tail: str) -> list[str]:
    """The tail's log lines, each multi-line record (a traceback) joined back into one."""
    lines: list[str] = []
    for line in tail.splitlines():
        if not line.strip():
            continue
        if lines and line.startswith(_CONTINUATION):
            lines[-1] += "\n" + line
        else:
            lines.append(line)
    return lines


def skip_reason(case: Case) -> str | None:
    """Why a case cannot run against a deployed stage; None when it can."""
    if case.upload:
        return (
            f"it uploads {case.upload} to the bucket its event names first; in a deployed stage "
            f"that upload is itself an import: use make import STAGE=… FILE={case.upload}"
        )
    return None


def verdict(case: Case, answer: Answer, label: str, say: Callable[[str], None]) -> bool:
    """Print the timing, the log tail and the answer, then whether it matches; True if it does."""
    report = answer.report
    if report is None:
        timing = "no REPORT line in the log tail"
    else:
        timing = f"{report.summary()}; {'cold start' if report.init_ms is not None else 'warm'}"
    say(f"--- {label}: {timing} ---")
    for line in answer.log_tail:
        say("  " + render.body(parse(line, 0, label)))
    print(json.dumps(answer.payload, indent=2, default=str), flush=True)
    expected = case.path.with_name(f"{case.name}.expected.json")
    if answer.function_error:
        say(f"error: {case.path}: the function failed ({answer.function_error})")
        return False
    if not expected.is_file():
        say(f"no {expected.name} beside {case.path}: nothing to compare")
        return True
    if case.empty_database:
        say(f"not compared: {expected.name} expects an empty database, a deployed one is migrated")
        return True
    problem = case.mismatch(answer.payload)
    if problem:
        say(f"mismatch: {case.path}: {problem} ({expected.name})")
        return False
    say(f"match: {case.path} ({expected.name})")
    return True
