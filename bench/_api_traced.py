"""The API function's handler under Powertools Tracer, as X-Ray active tracing would run it.

For bench_api (bench/_tracing_cost.py): what Tracer adds to the cold start (aws_xray_sdk's
import, which imports botocore, the recorder's set-up, the handler's segment), against the same
handler untraced. BENCH_TRACED_HANDLER names the handler (`package.module.function`), so that
the measured process reads no template.
"""

from __future__ import annotations

import importlib
import os

from aws_lambda_powertools import Tracer

_module, _, _attribute = os.environ["BENCH_TRACED_HANDLER"].rpartition(".")
# botocore only: the SDK's psycopg patch wraps psycopg.connect (shared/db.py calls
# Connection.connect) and imports psycopg_pool, so statements would get subsegments by hand.
tracer = Tracer(service="bench", patch_modules=["botocore"])
handler = tracer.capture_lambda_handler(
    getattr(importlib.import_module(_module), _attribute), capture_response=False
)
