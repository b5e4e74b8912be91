"""The API function's handler as AWS runs it, with or without Powertools Tracer: for bench_api.

What Tracer would add to the cold start (aws_xray_sdk's import, the recorder's set-up, the
handler's segment), against the same handler untraced. Both arms import boto3 first: in AWS the
API's first connection fetches the database secret with it, so botocore, which aws_xray_sdk
imports too, is paid either way. BENCH_TRACED_HANDLER names the handler
(`package.module.function`), so that the measured process reads no template; BENCH_TRACER=on
puts Tracer on it.
"""

from __future__ import annotations

import importlib
import os

import boto3  # noqa: F401

_module, _, _attribute = os.environ["BENCH_TRACED_HANDLER"].rpartition(".")
handler = getattr(importlib.import_module(_module), _attribute)

if os.environ.get("BENCH_TRACER") == "on":
    from aws_lambda_powertools import Tracer

    # botocore only: the SDK's psycopg patch wraps psycopg.connect (shared/db.py calls
    # Connection.connect) and imports psycopg_pool, so statements would get subsegments by hand.
    tracer = Tracer(service="bench", patch_modules=["botocore"])
    handler = tracer.capture_lambda_handler(handler, capture_response=False)
