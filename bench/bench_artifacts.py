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
from typing import TYPE_CHECKING, Any

import stackspec
from bench._declared import api_function, import_function
from buildtools import bytecode, sandbox, scenarios
from buildtools.app import build_function
from buildtools.execute import CACHE
from buildtools.interpreter import find_python
from buildtools.layer import build_layer
from buildtools.target import Target, host_arch
from buildtools.zips import describe
from stackspec.events import Case, cases, load_case
from stackspec.model import ROOT

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from stackspec import Function

RUNS = int(os.environ.get("BENCH_COLD_RUNS", "11"))
SEED_USERS = 100
BARE = "bare handler"
FLOOR = "floor"  # the bare handler's work inside Powertools' resolver, Logger and Metrics
IMPORT_TARGET = 1.3  # the API function's import, x the bare handler's from the same layer


def _sizes(dist: Path) -> None:
    print("artifact sizes:")
    for path in sorted(dist.glob("*.zip")):
        print(f"  {describe(path).removeprefix(str(dist) + '/')}")


def _boxes(
    dist: Path, work: Path, python: Path, target: Target, measured: list[Function]
) -> dict[str, sandbox.Sandbox]:
    sdk = sandbox.runtime_sdk(target, python, CACHE, ROOT)
    layer = sandbox.unpack_layer(dist / f"layer-{target.arch}.zip", work / "with")
    stripped_layer = work / "without" / "opt" / "python"
    shutil.copytree(layer, stripped_layer)
    bytecode.strip_tree(stripped_layer)
    boxes = {}
    for function in measured:
        artifact = dist / function.artifact
        boxes[function.name] = sandbox.unpack(artifact, layer, work / function.name, sdk)
        stripped = sandbox.unpack(artifact, stripped_layer, work / f"{function.name}-stripped", sdk)
        bytecode.strip_tree(stripped.task)
        boxes[f"{function.name} no bytecode"] = stripped
    bare_task = work / "bare" / "var" / "task"
    bare_task.mkdir(parents=True)
    shutil.copy(ROOT / "bench" / "_api_bare.py", bare_task / "bare_handler.py")
    bytecode.compile_tree(python, bare_task, "/var/task")
    boxes[BARE] = sandbox.Sandbox(task=bare_task, layer=layer, runtime=sdk)
    # The floor runs from the API function's own tree: it imports Powertools as the function does.
    api = boxes[api_function().name]
    floor_task = work / "floor" / "var" / "task"
    shutil.copytree(api.task, floor_task)
    (floor_task / "bench").mkdir()
    for name in ("__init__.py", "_api_bare.py", "_api_floor.py"):
        shutil.copy(ROOT / "bench" / name, floor_task / "bench" / name)
    bytecode.compile_tree(python, floor_task / "bench", "/var/task/bench")
    boxes[FLOOR] = sandbox.Sandbox(task=floor_task, layer=layer, runtime=sdk)
    return boxes


def _sample_cases() -> dict[str, tuple[Function, Case]]:
    """What each measured function answers: GET /users, and an import of the sample file."""
    api, importer = api_function(), import_function()
    uploading = next(case for case in cases(importer) if case.upload)
    return {
        api.name: (api, load_case(api.events / "get_users.json")),
        importer.name: (importer, uploading),
    }


def _call(name: str, samples: dict[str, tuple[Function, Case]], s3: S3Client) -> dict[str, Any]:
    api = api_function()
    if name in {BARE, FLOOR}:
        call = scenarios.handler_call(api, samples[api.name][1].event)
        target = "bare_handler:handler" if name == BARE else "bench._api_floor:handler"
        return {**call, "target": target}
    function, case = samples[name.removesuffix(" no bytecode")]
    # An upload makes a new version of the object each time: a whole import, every run.
    return scenarios.handler_call(function, scenarios.prepared_event(case, s3))


def _measure(
    boxes: dict[str, sandbox.Sandbox],
    python: Path,
    envs: dict[str, dict[str, str]],
    s3: S3Client,
) -> None:
    samples = _sample_cases()
    times: dict[str, list[float]] = {name: [] for name in boxes}
    imports: dict[str, list[float]] = {name: [] for name in boxes}
    calls: dict[str, list[float]] = {name: [] for name in boxes}
    for _run in range(RUNS):
        for name, box in boxes.items():  # interleaved, so load drift hits all alike
            call = _call(name, samples, s3)
            workdir = box.task.parent.parent
            started = time.perf_counter()
            report = sandbox.run(python, box, [call], envs[name], workdir)
            times[name].append((time.perf_counter() - started) * 1000)
            result = report["results"][0]
            if not result["ok"]:
                raise SystemExit(f"{name}: {result['error']}")
            imports[name].append(result["import_ms"])
            calls[name].append(result["call_ms"])
    medians = {name: statistics.median(values) for name, values in times.items()}
    bare = medians[BARE]
    print(f"cold start from the artifacts, whole process, median of {RUNS} (ms):")
    for name, median in medians.items():
        phases = f"import {statistics.median(imports[name]):6.1f}, "
        phases += f"first call {statistics.median(calls[name]):6.1f}"
        print(f"  {name:26} {median:8.1f}   {median / bare:5.2f}x bare   ({phases})")
    for function in samples:
        ratio = medians[f"{function} no bytecode"] / medians[function]
        importing = statistics.median(imports[f"{function} no bytecode"])
        importing /= statistics.median(imports[function])
        print(
            f"  {function}: without bytecode {ratio:.2f}x slower than as built "
            f"(its imports {importing:.2f}x slower)"
        )
    api = api_function().name
    whole = medians[api] / bare
    importing = statistics.median(imports[api]) / statistics.median(imports[BARE])
    floor = statistics.median(imports[FLOOR]) / statistics.median(imports[BARE])
    print(f"  {api} against the bare handler: import {importing:.2f}x, whole process {whole:.2f}x")
    print(f"  the floor's import {floor:.2f}x bare; {api}'s {importing / floor:.2f}x the floor's")
    outcome = "met" if importing <= IMPORT_TARGET else "NOT met"
    print(
        f"  target: {api} cold start from the zip, import only <= {IMPORT_TARGET:.2f}x bare: "
        f"{outcome} ({importing:.2f}x)"
    )


def main() -> None:
    import psycopg

    from localcloud.paths import local_dir
    from localcloud.postgres import start_embedded
    from localcloud.scratch import emulated_s3, throwaway_database

    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    target = Target("python3.13", host_arch())
    python = find_python(target.python_version)
    server = start_embedded(local_dir() / "bench-postgres")
    measured = [api_function(), import_function()]
    with (
        emulated_s3() as s3,
        tempfile.TemporaryDirectory(prefix="bench-artifacts-") as tmp,
        throwaway_database(server, prefix="bench") as url,
    ):
        work = Path(tmp)
        dist = work / "dist"
        for function in stackspec.functions():
            build_function(function, target, dist, python)
        build_layer(target, dist, python)
        _sizes(dist)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO users (name, email) SELECT 'User ' || n, 'user' || n || "
                "'@example.com' FROM generate_series(1, %s) AS n",
                [SEED_USERS],
            )
        settings = {**s3.environment, "DATABASE_URL": url}
        envs = {
            name: sandbox.lambda_environment(function, settings)
            for function in measured
            for name in (function.name, f"{function.name} no bytecode")
        }
        envs[BARE] = envs[FLOOR] = envs[measured[0].name]
        boxes = _boxes(dist, work, python, target, measured)
        _measure(boxes, python, envs, s3.client())
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
