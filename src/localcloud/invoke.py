"""`make invoke FUNCTION=sample_api EVENT=events/get_users.json`: one invocation, locally.

It uses the services of a running `make dev` when there is one. Otherwise it starts what the
function needs: PostgreSQL (DATABASE_URL's, or the embedded one with `make dev`'s data) and,
for sample_event, an S3 endpoint (AWS_ENDPOINT_URL_S3's, or a fresh in-memory moto holding
sample_users.csv at imports/sample_users.csv, the object the sample events name).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localcloud import emulator
from localcloud.config import FAKE_AWS, load_config
from localcloud.instance import read_state
from localcloud.paths import REPO_ROOT, local_dir
from localcloud.stack import function_hosts, start_database

if TYPE_CHECKING:
    from localcloud.functions import Invocation

FUNCTIONS = ("sample_api", "sample_event")
SEED_FILE = REPO_ROOT / "sample_users.csv"


def function_for(event: dict[str, Any]) -> str:
    """The function a sample event is meant for: API Gateway events go to sample_api."""
    return "sample_api" if "httpMethod" in event else "sample_event"


def _prepare(function: str, stack: ExitStack) -> str:
    """Point the environment at services; returns where they come from, for the console."""
    for name, value in FAKE_AWS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("LOG_LEVEL", "INFO")
    state = read_state(local_dir())
    if state is not None:
        os.environ["DATABASE_URL"] = state["database_url"]
        os.environ["AWS_ENDPOINT_URL_S3"] = state["s3_endpoint"]
        os.environ["IMPORT_BUCKET"] = state["bucket"]
        return f"the running local cloud (pid {state['pid']})"
    config = load_config()
    os.environ["DATABASE_URL"] = start_database(config, stack)
    os.environ["IMPORT_BUCKET"] = config.bucket
    if function == "sample_event" and config.s3_endpoint is None:
        moto = emulator.MotoEndpoint(0)
        stack.callback(moto.stop)
        os.environ["AWS_ENDPOINT_URL_S3"] = moto.url
        import boto3

        s3 = boto3.client("s3")
        emulator.create_bucket(s3, config.bucket)
        s3.upload_file(str(SEED_FILE), config.bucket, "imports/" + SEED_FILE.name)
        return "services started for this invocation (an in-memory S3 holding sample_users.csv)"
    return "services started for this invocation"


def _load(path: Path) -> dict[str, Any]:
    try:
        event: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"{path}: cannot read a JSON event ({exc})") from None
    return event


def _report(function: str, invocation: Invocation) -> bool:
    sys.stdout.flush()
    start = f"cold, init {invocation.init_ms:.0f} ms" if invocation.init_ms is not None else "warm"
    print(f"--- {function}: {invocation.duration_ms:.1f} ms ({start}) ---", file=sys.stderr)
    if invocation.error is not None:
        traceback.print_exception(invocation.error)
        return False
    print(json.dumps(invocation.result, indent=2, default=str), flush=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make invoke", description=__doc__)
    parser.add_argument("events", type=Path, nargs="+", help="JSON event files, in order")
    parser.add_argument("--function", choices=FUNCTIONS, help="default: guessed from each event")
    args = parser.parse_args(argv)
    events = [(path, _load(path)) for path in args.events]
    ok = True
    with ExitStack() as stack:
        needed = {args.function or function_for(event) for _, event in events}
        where = _prepare("sample_event" if "sample_event" in needed else "sample_api", stack)
        hosts = dict(zip(FUNCTIONS, function_hosts(), strict=True))
        for host in hosts.values():
            stack.callback(host.unload)
        for path, event in events:  # the first call of each function is cold, the next warm
            function = args.function or function_for(event)
            print(f"invoking {function} with {path}, using {where}", file=sys.stderr, flush=True)
            ok = _report(function, hosts[function].invoke(event)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
