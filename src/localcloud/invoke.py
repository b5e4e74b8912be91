"""`make invoke EVENT=events/<function>/<case>.json`: one invocation, locally, then its verdict.

The function is the folder the event sits in (FUNCTION= names another one). After the call,
the answer is compared with <case>.expected.json beside the event (events/README.md): it says
match or mismatch, and a mismatch, like a crash, exits 1.

Services: the database of a running `make dev` when there is one, else DATABASE_URL's or the
embedded one with `make dev`'s data; a case whose expectation says `"database": "empty"` gets a
fresh database on the same server, dropped afterwards. S3, when a case uploads a file or a
function's queue is fed by a bucket: a case that uploads gets an in-memory S3 of its own (in the
running stack's bucket the upload would also notify its queue, and the object would be imported
twice, the answer depending on which delivery came first); otherwise the running stack's, then
AWS_ENDPOINT_URL_S3's, then an in-memory one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import stackspec
from localcloud import declared, emulator
from localcloud.config import FAKE_AWS, chosen_log_level, load_config
from localcloud.instance import read_state
from localcloud.paths import REPO_ROOT, local_dir
from localcloud.stack import start_database
from stackspec.events import Case, load_case

if TYPE_CHECKING:
    from collections.abc import Iterator

    from localcloud.functions import FunctionHost, Invocation
    from stackspec import Function


@dataclass(frozen=True)
class Run:
    """One event file, the function it is for, and what it must answer."""

    function: Function
    case: Case


@dataclass
class Services:
    """Where the invocations find the database and S3, and the local bucket names."""

    database_url: str
    where: str
    log_level: str
    buckets: dict[str, str]


def runs_of(paths: list[Path], function_name: str | None) -> list[Run]:
    """Each file with its function: FUNCTION= or the folder's name, which must be declared."""
    runs = []
    for path in paths:
        if path.name.endswith(".expected.json"):
            raise SystemExit(f"{path}: an expectation, not an event; give its event beside it")
        try:
            case = load_case(path)
        except (OSError, ValueError) as exc:
            raise SystemExit(f"{path}: cannot read a JSON event ({exc})") from None
        name = function_name or path.resolve().parent.name
        try:
            function = stackspec.function(name)
        except KeyError as exc:
            raise SystemExit(
                f"{path}: {exc.args[0]}; put the event under events/<function>/ or give FUNCTION="
            ) from None
        runs.append(Run(function, case))
    return runs


def start_services(runs: list[Run], stack: ExitStack) -> Services:
    """Point this process at a database and, when the runs need one, at an S3 endpoint."""
    for name, value in FAKE_AWS.items():
        os.environ.setdefault(name, value)
    log_level = chosen_log_level("INFO")
    state = read_state(local_dir())
    config = load_config()
    if state is not None:
        services = Services(
            state["database_url"],
            f"the running local cloud (pid {state['pid']})",
            log_level,
            dict(state.get("buckets") or {}),
        )
    else:
        every = stackspec.functions()
        database_url = start_database(config, stack, every, log_level)
        buckets = {s.bucket: declared.local_bucket(s) for s in declared.bucket_sources(every)}
        services = Services(database_url, "services started for it", log_level, buckets)
    # As `make dev` does, for what an in-process function imports lazily (stack.py).
    os.environ.update(DATABASE_URL=services.database_url, POWERTOOLS_LOG_LEVEL=log_level)
    uploads = any(run.case.upload for run in runs)
    fed_by_bucket = declared.bucket_sources(run.function for run in runs)
    if uploads or (fed_by_bucket and state is None and config.s3_endpoint is None):
        moto = emulator.MotoEndpoint(0)
        stack.callback(moto.stop)
        os.environ.update(FAKE_AWS)  # never real credentials against the emulator
        os.environ["AWS_ENDPOINT_URL_S3"] = moto.url
        _create_buckets(services.buckets.values())
        services.where += ", with an in-memory S3 of its own"
    elif state is not None:
        os.environ["AWS_ENDPOINT_URL_S3"] = state["s3_endpoint"]
    return services


def _create_buckets(names: Any) -> None:
    import boto3

    s3 = boto3.client("s3")
    for bucket in dict.fromkeys(names):
        emulator.create_bucket(s3, bucket)


def prepared_event(case: Case) -> Any:
    """The case's event, after uploading the file its expectation names where the event points."""
    if not case.upload:
        return case.event
    import boto3

    from localcloud.event_objects import upload_where_named

    event, uploaded = upload_where_named(case.event, boto3.client("s3"), REPO_ROOT / case.upload)
    for place in uploaded:
        print(f"uploaded {case.upload} to {place}", file=sys.stderr)
    return event


@contextmanager
def empty_database(database_url: str) -> Iterator[str]:
    """A fresh database on the same server, dropped on exit (its sessions ended first)."""
    import uuid

    import psycopg
    from psycopg import sql

    from localcloud.postgres import with_database

    name = f"invoke_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield with_database(database_url, name)
        finally:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def verdict(run: Run, invocation: Invocation) -> bool:
    """Print the answer and whether it matches the expectation; True when it does."""
    sys.stdout.flush()
    start = f"cold, init {invocation.init_ms:.0f} ms" if invocation.init_ms is not None else "warm"
    print(
        f"--- {run.function.name}: {invocation.duration_ms:.1f} ms ({start}) ---", file=sys.stderr
    )
    if invocation.error is not None:
        traceback.print_exception(invocation.error)
        print(f"error: {run.case.path} raised", file=sys.stderr)
        return False
    print(json.dumps(invocation.result, indent=2, default=str), flush=True)
    expected = run.case.path.with_name(f"{run.case.name}.expected.json")
    problem = run.case.mismatch(invocation.result)
    if not expected.is_file():
        print(f"no {expected.name} beside {run.case.path}: nothing to compare", file=sys.stderr)
    elif problem:
        print(f"mismatch: {run.case.path}: {problem} ({expected.name})", file=sys.stderr)
    else:
        print(f"match: {run.case.path} ({expected.name})", file=sys.stderr)
    return problem is None


def _host(run: Run, services: Services, database_url: str) -> FunctionHost:
    env = declared.environment(
        run.function,
        database_url=database_url,
        log_level=services.log_level,
        buckets=services.buckets,
    )
    return declared.host(run.function, env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make invoke", description=__doc__)
    parser.add_argument("events", type=Path, nargs="+", help="JSON event files, in order")
    names = [function.name for function in stackspec.functions()]
    parser.add_argument("--function", choices=names, help="default: the event's folder")
    args = parser.parse_args(argv)
    runs = runs_of(args.events, args.function)
    ok = True
    with ExitStack() as stack:
        services = start_services(runs, stack)
        hosts: dict[str, FunctionHost] = {}
        for run in runs:  # the first call of each function is cold, the next ones warm
            print(
                f"invoking {run.function.name} with {run.case.path}, using {services.where}",
                file=sys.stderr,
                flush=True,
            )
            event = prepared_event(run.case)
            if run.case.empty_database:
                with empty_database(services.database_url) as url:
                    host = _host(run, services, url)
                    try:
                        invocation = host.invoke(event)
                    finally:
                        host.unload()
            else:
                if run.function.name not in hosts:
                    hosts[run.function.name] = _host(run, services, services.database_url)
                    stack.callback(hosts[run.function.name].unload)
                invocation = hosts[run.function.name].invoke(event)
            ok = verdict(run, invocation) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
