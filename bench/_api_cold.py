"""One cold start, run in a fresh process by bench_api: import a handler, answer GET /users once.

`_api_cold.py HANDLER EVENT`: HANDLER is `package.module.function`, or `bare` for the bare one.

Prints the import and first-request times (ms) so that the parent can show where time goes.
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()

import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402


class _Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:bench"
    aws_request_id = "00000000-0000-0000-0000-000000000000"


def main() -> None:
    which, event_path = sys.argv[1], sys.argv[2]
    if which == "bare":
        from bench._api_bare import handler
    else:
        module, _, attribute = which.rpartition(".")
        handler = getattr(importlib.import_module(module), attribute)
    imported = time.perf_counter()
    with open(event_path, encoding="utf-8") as file:  # noqa: PTH123
        event = json.load(file)
    response = handler(event, _Context())
    answered = time.perf_counter()
    if response["statusCode"] != 200:
        raise SystemExit(f"{which}: status {response['statusCode']}")
    print(f"{(imported - _STARTED) * 1000:.2f} {(answered - imported) * 1000:.2f}")


main()
