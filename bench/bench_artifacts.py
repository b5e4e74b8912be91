"""Cold start from the built artifacts: with bytecode, without it, and a bare handler.

`python -m bench artifacts`. Builds the function zips and this machine's layer into a temporary
dist/, extracts them as the executed check does (/var/task, /opt/python, a clean
`python3.13 -I -S -B`), and times whole processes that import the handler and answer one event.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from buildtools import bytecode, sandbox, scenarios
from buildtools.app import build_function
from buildtools.execute import CACHE, PROJECT, throwaway_database
from buildtools.interpreter import find_python
from buildtools.layer import build_layer
from buildtools.target import Target, host_arch
from buildtools.zips import describe

RUNS = int(os.environ.get("BENCH_COLD_RUNS", "11"))
SEED_USERS = 100
_FAKE_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}  # the emulator's


def _sizes(dist: Path) -> None:
    print("artifact sizes:")
    for path in sorted(dist.glob("*.zip")):
        print(f"  {describe(path).removeprefix(str(dist) + '/')}")


def _boxes(dist: Path, work: Path, python: Path, target: Target) -> dict[str, sandbox.Sandbox]:
    sdk = sandbox.runtime_sdk(target, python, CACHE, PROJECT)
    layer = sandbox.unpack_layer(dist / f"layer-{target.arch}.zip", work / "with")
    stripped_layer = work / "without" / "opt" / "python"
    shutil.copytree(layer, stripped_layer)
    bytecode.strip_tree(stripped_layer)
    boxes = {}
    for function in ("sample_api", "sample_event"):
        boxes[function] = sandbox.unpack(dist / f"{function}.zip", layer, work / function, sdk)
        stripped = sandbox.unpack(
            dist / f"{function}.zip", stripped_layer, work / f"{function}-stripped", sdk
        )
        bytecode.strip_tree(stripped.task)
        boxes[f"{function} no bytecode"] = stripped
    bare_task = work / "bare" / "var" / "task"
    bare_task.mkdir(parents=True)
    shutil.copy(PROJECT / "bench" / "_api_bare.py", bare_task / "bare_handler.py")
    bytecode.compile_tree(python, bare_task, "/var/task")
    boxes["bare handler"] = sandbox.Sandbox(task=bare_task, layer=layer, runtime=sdk)
    return boxes


def _call(name: str, s3: Any, run: int) -> dict[str, Any]:
    events = scenarios.load_events(PROJECT / "events")
    if name.startswith("sample_event"):
        label = f"bench{run}-{'stripped' if 'no bytecode' in name else 'built'}"
        event = scenarios.prepare_event(events["s3_object_created"], s3, label, [])
        return {"target": "sample_event.index:handler", "args": [event], "context": "bench"}
    target = "bare_handler:handler" if name == "bare handler" else "sample_api.index:handler"
    return {"target": target, "args": [events["get_users"]], "context": "bench"}


def _measure(boxes: dict[str, sandbox.Sandbox], python: Path, env: dict[str, str], s3: Any) -> None:
    times: dict[str, list[float]] = {name: [] for name in boxes}
    imports: dict[str, list[float]] = {name: [] for name in boxes}
    calls: dict[str, list[float]] = {name: [] for name in boxes}
    for run in range(RUNS):
        for name, box in boxes.items():  # interleaved, so load drift hits all alike
            call = _call(name, s3, run)
            workdir = box.task.parent.parent
            started = time.perf_counter()
            report = sandbox.run(python, box, [call], env, workdir)
            times[name].append((time.perf_counter() - started) * 1000)
            result = report["results"][0]
            if not result["ok"]:
                raise SystemExit(f"{name}: {result['error']}")
            imports[name].append(result["import_ms"])
            calls[name].append(result["call_ms"])
    medians = {name: statistics.median(values) for name, values in times.items()}
    bare = medians["bare handler"]
    print(f"cold start from the artifacts, whole process, median of {RUNS} (ms):")
    for name, median in medians.items():
        phases = f"import {statistics.median(imports[name]):6.1f}, "
        phases += f"first call {statistics.median(calls[name]):6.1f}"
        print(f"  {name:26} {median:8.1f}   {median / bare:5.2f}x bare   ({phases})")
    for function in ("sample_api", "sample_event"):
        ratio = medians[f"{function} no bytecode"] / medians[function]
        importing = statistics.median(imports[f"{function} no bytecode"])
        importing /= statistics.median(imports[function])
        print(
            f"  {function}: without bytecode {ratio:.2f}x slower than as built "
            f"(its imports {importing:.2f}x slower)"
        )


def main() -> None:
    import logging

    import boto3
    import psycopg
    from moto.server import ThreadedMotoServer

    from localcloud.paths import local_dir
    from localcloud.postgres import start_embedded

    target = Target("python3.13", host_arch())
    python = find_python(target.python_version)
    server = start_embedded(local_dir() / "bench-postgres")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **_FAKE_KEYS)
        with (
            tempfile.TemporaryDirectory(prefix="bench-artifacts-") as tmp,
            throwaway_database(server, migrated=True) as url,
        ):
            work = Path(tmp)
            dist = work / "dist"
            for function in ("sample_api", "sample_event", "migrator"):
                build_function(function, target, dist, python)
            build_layer(target, dist, python)
            _sizes(dist)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(
                    "INSERT INTO users (name, email) SELECT 'User ' || n, 'user' || n || "
                    "'@example.com' FROM generate_series(1, %s) AS n",
                    [SEED_USERS],
                )
            settings = {"DATABASE_URL": url, "AWS_ENDPOINT_URL_S3": endpoint}
            settings |= {name.upper(): value for name, value in _FAKE_KEYS.items()}
            env = sandbox.lambda_environment("bench", settings)
            _measure(_boxes(dist, work, python, target), python, env, s3)
    finally:
        moto.stop()
