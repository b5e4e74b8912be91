"""What Powertools Tracer (aws_xray_sdk) would cost the API: its cold start, and per statement.

Part of `python -m bench api`; docs/operations.md, "Tracing", quotes it. The cold starts run
with what Lambda gives an invocation under X-Ray active tracing; the subsegment cost is the
SDK's own work for one subsegment, sent over UDP as Powertools configures it (no batching).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from bench._cold_runs import RUNS, Commands, run_interleaved, verdict
from stackspec.model import ROOT

if TYPE_CHECKING:
    from stackspec import Function

TRACED = "bench._api_traced.handler"
# Powertools traces only inside Lambda (LAMBDA_TASK_ROOT); the SDK sends segments over UDP to
# the daemon's address, which nothing need listen on.
TRACING_ENVIRONMENT = {
    "LAMBDA_TASK_ROOT": str(ROOT / "src"),
    "_X_AMZN_TRACE_ID": (
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    ),
    "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
    "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
}
SUBSEGMENTS = 20_000
# Tracer's own import and set-up, timed inside a fresh process that has imported boto3 and the
# API function first.
_SET_UP = """
import importlib, os, time
import boto3
importlib.import_module(os.environ["BENCH_TRACED_HANDLER"].rpartition(".")[0])
started = time.perf_counter()
from aws_lambda_powertools import Tracer
Tracer(service="bench", patch_modules=["botocore"])
print((time.perf_counter() - started) * 1000)
"""


def cold(env: dict[str, str], api: Function, event: str, target: float) -> None:
    """The API's cold start with and without Tracer; then Tracer alone where boto3 is loaded."""
    traced = {**env, **TRACING_ENVIRONMENT, "BENCH_TRACED_HANDLER": api.handler}
    run = [sys.executable, str(ROOT / "bench" / "_api_cold.py")]
    commands: Commands = {
        "bare handler": ([*run, "bare", event], traced),
        api.name: ([*run, api.handler, event], traced),
        f"{api.name} + Tracer": ([*run, TRACED, event], traced),
    }
    print(f"X-Ray active, cold start, whole process, median of {RUNS} (ms):")
    bare, plain, tracer = run_interleaved(commands, "bare handler").values()
    print(f"  Tracer adds {tracer - plain:.1f} ms to {api.name} ({tracer / plain - 1:+.0%})")
    verdict(f"{api.name} cold start with Tracer", tracer / bare, target)
    # In AWS the first request imports boto3 anyway, to read the database secret: what Tracer
    # adds there is its own part, too small beside boto3's import to show in whole processes.
    set_up = statistics.median(
        float(
            subprocess.run(
                [sys.executable, "-c", _SET_UP],
                env=traced,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(RUNS)
    )
    print(
        f"  with boto3 imported (AWS, the secret): Tracer's own import and set-up {set_up:.1f} ms,"
        f" {set_up / bare:.2f}x the bare handler's cold start (median of {RUNS})"
    )


def per_subsegment_us() -> float:
    """µs of one subsegment with metadata (the SQL statement), begun, ended and sent."""
    from aws_xray_sdk.core import xray_recorder  # type: ignore[import-untyped]

    xray_recorder.configure(
        sampling=False,
        context_missing="LOG_ERROR",
        daemon_address=TRACING_ENVIRONMENT["AWS_XRAY_DAEMON_ADDRESS"],
        streaming_threshold=0,  # what Powertools sets: each subsegment is sent when it ends
    )
    xray_recorder.begin_segment("bench")
    started = time.perf_counter()
    for _ in range(SUBSEGMENTS):
        xray_recorder.begin_subsegment("SELECT users")
        xray_recorder.current_subsegment().put_metadata("sql", "SELECT id FROM users LIMIT %s")
        xray_recorder.end_subsegment()
    elapsed = time.perf_counter() - started
    xray_recorder.end_segment()
    return elapsed / SUBSEGMENTS * 1e6
