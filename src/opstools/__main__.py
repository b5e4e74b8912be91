"""`python -m opstools logs|invoke|import --stage dev …`: the Makefile's targets for a deployed
stage (docs/operations.md). AWS credentials and the region come from your usual AWS setup."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from deploytools.plan import Config
from opstools.stage import Stage, StageError


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def parse(argv: list[str]) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--stage", required=True)
    common.add_argument("--project", default=Config.project)
    # The region `make deploy` uses when none is given (deploytools/__main__.py).
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    common.add_argument("--region", default=region)
    common.add_argument("--function", help="a declared function (its package under src/)")
    parser = argparse.ArgumentParser(prog="python -m opstools", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    logs = commands.add_parser("logs", parents=[common], help="read the stage's logs")
    logs.add_argument("--since", default="10m", help="10m, 2h, 1d, or an ISO 8601 time")
    logs.add_argument("--follow", action="store_true", help="Live Tail from now on")
    logs.add_argument("--id", help="one API request id or import id")
    logs.add_argument("--limit", type=int, default=10000, help="events per log group, at most")
    invoke = commands.add_parser("invoke", parents=[common], help="invoke a deployed function")
    invoke.add_argument("events", type=Path, nargs="+", help="events/<function>/<case>.json")
    upload = commands.add_parser("import", parents=[common], help="import a CSV file")
    upload.add_argument("file", type=Path)
    upload.add_argument("--timeout", type=float, default=300.0, help="seconds to wait, at most")
    return parser.parse_args(argv)


def logs_command(args: argparse.Namespace, stage: Stage, session: Any) -> int:
    from opstools import logs, render

    groups = stage.log_groups(args.function)
    wanted = logs.checked_id(args.id) if args.id else None
    width = logs.source_width(groups)
    client = session.client("logs")
    if args.follow:
        try:
            logs.follow(
                client,
                groups,
                wanted=wanted,
                out=lambda record: print(render.line(record, width), flush=True),
                say=say,
            )
        except KeyboardInterrupt:
            pass
        return 0
    start = logs.since_ms(args.since)
    records = logs.read(client, groups, start_ms=start, wanted=wanted, limit=args.limit, say=say)
    if not logs.print_records(records, width, print):
        say(f"no records since {args.since}{f' for {wanted}' if wanted else ''}: widen SINCE=")
    return 0


def invoke_command(args: argparse.Namespace, stage: Stage, session: Any) -> int:
    from deploytools import migrations
    from localcloud.invoke import runs_of
    from opstools import invoke

    runs = runs_of(args.events, args.function)
    refused = [(run, reason) for run in runs if (reason := invoke.skip_reason(run.case))]
    for run, reason in refused:
        say(f"{run.case.path}: not for a deployed stage: {reason}")
    if refused:
        return 2
    ok = True
    for run in runs:
        name = stage.function_name(run.function)
        say(f"invoking {name} with {run.case.path}")
        client = migrations.client(session, run.function.timeout)
        answer = invoke.invoke(client, name, run.case.event)
        ok = invoke.verdict(run.case, answer, f"{run.function.name} ({name})", say) and ok
    return 0 if ok else 1


def import_command(args: argparse.Namespace, stage: Stage, session: Any) -> int:
    from opstools import imports

    if not args.file.is_file():
        say(f"{args.file}: no such file")
        return 2
    target = imports.destination(stage, session.client("cloudformation"), args.file, args.function)
    report = imports.run(session.client("s3"), target, args.file, timeout=args.timeout, say=say)
    if report is None:
        importer, _ = stage.import_source(args.function)
        say(f"what the importer did: make logs STAGE={stage.name} FUNCTION={importer.name}")
        return 1
    return imports.outcome(report, stage, say)


COMMANDS = {"logs": logs_command, "invoke": invoke_command, "import": import_command}


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.Session(region_name=args.region)
    try:
        return COMMANDS[args.command](args, Stage(args.stage, args.project), session)
    except (StageError, ValueError) as exc:
        say(f"error: {exc}")
        return 2
    except (ClientError, BotoCoreError) as exc:
        say(f"error: AWS said: {exc}")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
