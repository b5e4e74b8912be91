"""Runs inside the clean interpreter of the executed check; standard library only.

`python -I -S -B -c <this source> SPEC RESULT`: SPEC names the sys.path entries and the file
descriptor that answers go to. The calls come on stdin, one JSON line each
(`package.module:function` with JSON arguments, plus a Lambda context for handlers); each
call's return value or error goes back as one JSON line before the next call is read, so that
the caller can look at the world in between. At the end of stdin, RESULT receives psycopg's
implementation and where every loaded module came from.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
import uuid
from pathlib import Path
from typing import Any


class Context:
    """The attributes of the runtime's LambdaContext that handlers and Powertools read."""

    def __init__(self, function_name: str, memory: int, timeout: float) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = (
            f"arn:aws:lambda:us-east-1:000000000000:function:{function_name}"
        )
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "verify"
        self._deadline = time.monotonic() + timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _call(call: dict[str, Any]) -> dict[str, Any]:
    module_name, _, attribute = call["target"].partition(":")
    try:
        started = time.perf_counter()
        function = getattr(importlib.import_module(module_name), attribute)
        imported = time.perf_counter()
        arguments = list(call.get("args", []))
        if call.get("context"):
            arguments.append(Context(**call["context"]))
        value = function(*arguments)
        timings = {
            "import_ms": (imported - started) * 1000,
            "call_ms": (time.perf_counter() - imported) * 1000,
        }
        return {"ok": True, "value": value, **timings}
    except Exception as error:
        return {
            "ok": False,
            "error": f"{type(error).__name__}: {error}",
            "trace": traceback.format_exc(),
        }


def _psycopg_impl() -> str | None:
    try:
        import psycopg  # only now: importing it is part of what is checked
    except ImportError:
        return None
    return str(psycopg.pq.__impl__)


def main(spec_path: str, result_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    sys.path[:0] = spec["prepend"]
    sys.path.extend(spec["append"])
    with os.fdopen(spec["answers_fd"], "w", encoding="utf-8") as answers:
        for line in sys.stdin:
            answers.write(json.dumps(_call(json.loads(line)), default=str) + "\n")
            answers.flush()
    report = {
        "psycopg_impl": _psycopg_impl() if spec.get("psycopg") else None,
        "modules": {
            name: str(getattr(module, "__file__", None))
            for name, module in sorted(sys.modules.items())
            if getattr(module, "__file__", None)
        },
        "stdlib": [sys.base_prefix],
    }
    Path(result_path).write_text(json.dumps(report, default=str), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
