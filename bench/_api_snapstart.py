"""SnapStart, emulated, run in a fresh process by bench_api: init once, then restores.

`_api_snapstart.py HANDLER EVENT RUNS`: imports the handler (the init), runs the
before-snapshot hooks, then RUNS times forks a copy as a restore would start it (its
after-restore hooks run) and times it until its first answer to EVENT. Prints the init time
and each restore + first request, in ms, as JSON.
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()

import importlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from localcloud import snapstart as lifecycle  # noqa: E402
from localcloud.context import LocalContext  # noqa: E402


def main() -> None:
    which, event_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    module, _, attribute = which.rpartition(".")
    handler = getattr(importlib.import_module(module), attribute)
    lifecycle.run_before_snapshot()
    init_ms = (time.perf_counter() - _STARTED) * 1000
    with open(event_path, encoding="utf-8") as file:  # noqa: PTH123
        event = json.load(file)
    restores = []
    for _ in range(runs):
        read_end, write_end = os.pipe()
        started = time.perf_counter()
        if lifecycle.fork_restored() == 0:
            status = handler(event, LocalContext("bench"))["statusCode"]
            os.write(write_end, str(status).encode())
            os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end) as answer:
            status = int(answer.read())
        restores.append((time.perf_counter() - started) * 1000)
        os.wait()
        if status != 200:
            raise SystemExit(f"restored {which}: status {status}")
    print(json.dumps({"init_ms": init_ms, "restore_ms": restores}))


main()
