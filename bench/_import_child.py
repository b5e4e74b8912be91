"""Child process of bench_import: one handler invocation; prints its times, peak RSS and result.

`_import_child.py HANDLER FUNCTION BUCKET KEY`. Run apart from the bench so that its peak RSS is
the import's own, not the generator's.
"""

from __future__ import annotations

import importlib
import json
import resource
import sys
import time
from pathlib import Path


def main(handler_path: str, function_name: str, bucket: str, key: str) -> None:
    from bench._cpu_share import join_from_env

    join_from_env()  # on a fraction of one core, when the bench asks for it
    from localcloud.context import LocalContext

    module, _, attribute = handler_path.rpartition(".")
    handler = getattr(importlib.import_module(module), attribute)

    event = {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": 0}},
            }
        ]
    }
    baseline_kb = _peak_rss_kb()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = handler(event, LocalContext(function_name, timeout_seconds=900))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started  # both threads: parsing and loading
    peak_kb = _peak_rss_kb()
    measured = {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_kb": peak_kb}
    print(json.dumps({**measured, "baseline_kb": baseline_kb, **result}))


def _peak_rss_kb() -> int:
    # ru_maxrss survives exec on Linux: a child forked from a big parent would report the
    # parent's peak. VmHWM belongs to this process image alone.
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main(*sys.argv[1:5])
