"""The API function: cold start, warm invocation and SnapStart, against a bare handler.

`python -m bench api`. The function is the one the templates integrate with API Gateway.
Everything runs against one embedded PostgreSQL (.local/bench-postgres), migrated and seeded,
and every comparison is measured side by side, interleaved, in one run. References: the
bare handler (json + psycopg, dispatch by hand) and the floor (the bare handler's work
inside Powertools' resolver, Logger and Metrics: what the API function cannot do without).
Each target of issue 13 gets a line: met or NOT met. Last, what Powertools Tracer would add
to the cold start and to each SQL statement (bench/_tracing_cost.py; docs/operations.md).
"""

from __future__ import annotations

import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench import _tracing_cost as tracing_cost
from bench._api_importtime import print_import_offenders
from bench._cold_runs import RUNS, Commands, run_interleaved, verdict
from bench._declared import api_function, handler_of
from stackspec.model import ROOT

API = api_function()
EVENT = API.events / "get_users.json"
WARM_ROUNDS = int(os.environ.get("BENCH_WARM_ROUNDS", "15"))
WARM_CALLS = int(os.environ.get("BENCH_WARM_CALLS", "200"))
SEED_USERS = 100
FLOOR = "bench._api_floor.handler"
COLD_TARGET, WARM_TARGET = 1.6, 1.4  # x the bare handler (issue 13)


def _database() -> str:
    import psycopg

    from bench._database import migrated_database

    url = migrated_database("bench_api")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO users (name, email) SELECT 'User ' || n, 'user' || n || '@example.com'"
            " FROM generate_series(1, %s) AS n",
            [SEED_USERS],
        )
    return url


def _cold_commands(env: dict[str, str], empty_dir: str) -> Commands:
    cold = [sys.executable, str(ROOT / "bench" / "_api_cold.py")]
    # Lambda cannot write __pycache__: unless the zip ships .pyc files, every cold start
    # compiles every module. An empty cache prefix, never written to, reproduces that.
    no_pyc = {**env, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": empty_dir}
    return {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "bare handler": ([*cold, "bare", str(EVENT)], env),
        "floor": ([*cold, FLOOR, str(EVENT)], env),
        API.name: ([*cold, API.handler, str(EVENT)], env),
        "bare, no .pyc": ([*cold, "bare", str(EVENT)], no_pyc),
        f"{API.name}, no .pyc": ([*cold, API.handler, str(EVENT)], no_pyc),
    }


def _cold(env: dict[str, str]) -> float:
    print(f"cold start, whole process, median of {RUNS} (ms):")
    with tempfile.TemporaryDirectory() as empty_dir:
        medians = run_interleaved(_cold_commands(env, empty_dir), "bare handler")
    bare = medians["bare handler"]
    no_pyc_ratio = medians[f"{API.name}, no .pyc"] / medians["bare, no .pyc"]
    print(f"  without .pyc files, {API.name} is {no_pyc_ratio:.2f}x the bare handler")
    floor, api = medians["floor"], medians[API.name]
    print(f"  floor: {floor / bare:.2f}x bare; {API.name}: {api / floor:.2f}x the floor")
    verdict(f"{API.name} cold start in the dev venv", medians[API.name] / bare, COLD_TARGET)
    return medians[API.name]


def _snapstart(env: dict[str, str], cold_ms: float) -> None:
    command = [sys.executable, str(ROOT / "bench" / "_api_snapstart.py"), API.handler, str(EVENT)]
    result = subprocess.run(
        [*command, str(RUNS)], env=env, capture_output=True, text=True, check=True
    )
    measured = json.loads(result.stdout.splitlines()[-1])
    restore = statistics.median(measured["restore_ms"])
    print(f"SnapStart, emulated (a fork standing for the restore), median of {RUNS} (ms):")
    init = measured["init_ms"]
    print(f"  init + first request              {cold_ms:8.1f}   (the cold start above)")
    print(f"  emulated restore + first request  {restore:8.1f}   {restore / cold_ms:5.2f}x that")
    print(f"  init + before-snapshot hooks      {init:8.1f}   (once per published version)")


def _per_call_us(call: object, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        call()  # type: ignore[operator]
    return (time.perf_counter() - started) / calls * 1e6


def _warm(url: str) -> float:
    import json

    import psycopg

    from bench._api_bare import handler as bare_handler
    from bench._api_floor import handler as floor_handler
    from localcloud.context import LocalContext
    from shared.db import get_connection

    # GET /users's use case, called without the handler around it.
    list_users = importlib.import_module(f"{API.name}.actions.list_users").list_users
    api_handler = handler_of(API)

    event = json.loads(EVENT.read_text(encoding="utf-8"))
    context = LocalContext(function_name="bench")
    raw = psycopg.Connection.connect(url, autocommit=True, prepare_threshold=None)
    query = "SELECT id, name, email, created_at FROM users WHERE id > %s ORDER BY id LIMIT %s"
    subjects = {
        "raw query": lambda: raw.execute(query, [0, 21]).fetchall(),
        "bare handler": lambda: bare_handler(event, context),
        # actions/services/daos with no Powertools around them: what the framework adds shows.
        "our layers only": lambda: json.dumps(list_users(get_connection(), limit=20, cursor=None)),
        "floor": lambda: floor_handler(event, context),
        API.name: lambda: api_handler(event, context),
    }
    assert api_handler(event, context)["statusCode"] == 200
    assert bare_handler(event, context)["statusCode"] == 200
    assert floor_handler(event, context)["statusCode"] == 200
    samples: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(WARM_ROUNDS):
        for name, call in subjects.items():
            samples[name].append(_per_call_us(call, WARM_CALLS))
    raw.close()
    bare = statistics.median(samples["bare handler"])
    print(f"warm GET /users (20 rows), per invocation, median of {WARM_ROUNDS}x{WARM_CALLS} (µs):")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:16} {median:8.1f}   {median / bare:5.2f}x bare")
    api, floor = (statistics.median(samples[name]) for name in (API.name, "floor"))
    print(
        f"  {API.name}: {api / floor:.2f}x the floor; the floor alone is {floor / bare:.2f}x bare"
    )
    verdict(f"warm GET /users of {API.name}", api / bare, WARM_TARGET)
    return api


def main() -> None:
    url = _database()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    print(f"load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cold_ms = _cold(env)
    tracing_cost.cold(env, API, str(EVENT), COLD_TARGET)
    _snapstart(env, cold_ms)
    print_import_offenders(env, API.handler.rpartition(".")[0])
    warm_us = _warm(url)
    subsegment = tracing_cost.per_subsegment_us()
    print(
        f"Tracer, warm: one subsegment (a SQL statement) costs {subsegment:.1f} µs,"
        f" {subsegment / warm_us:.0%} of a warm GET /users of {API.name}"
    )
    print(f"load average at end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
