"""`python -m deploytools plan|deploy|destroy|destroy-plan|build-target --stage dev`.

The Makefile's deploy targets. Every value comes from the stage file,
deploy/stages/<stage>.toml (stages.py), and from what the deploy computes.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import stackspec
from deploytools import stages
from deploytools.plan import Config, deploy_plan, destroy_plan
from deploytools.render import as_text, deploy_commands, destroy_commands

ACTIONS = ("plan", "deploy", "destroy", "destroy-plan", "build-target")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m deploytools")
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("--stage", required=True)
    parser.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
    )
    parser.add_argument("--stages", type=Path, default=stages.STAGES, help="stage files")
    parser.add_argument(
        "--allow-replace",
        action="store_true",
        help="deploy: execute change sets that replace or remove resources holding data",
    )
    parser.add_argument("--offline", action="store_true", help="plan: make no AWS call")
    parser.add_argument(
        "--execution-role",
        default=os.environ.get("DEPLOY_EXECUTION_ROLE_ARN", ""),
        help="CloudFormation's service role (the CI sets it: docs/pipeline.md)",
    )
    return parser.parse_args(argv)


def clients(region: str) -> dict[str, Any]:
    """boto3 clients for the real thing (and their session); credentials: the usual chain."""
    import boto3

    session = boto3.Session(region_name=region)
    names = ("s3", "cloudformation", "lambda", "sts", "ec2", "apigateway", "iam")
    return {"session": session, **{name: session.client(name) for name in names}}  # type: ignore[call-overload]


def reachable(region: str) -> tuple[dict[str, Any] | None, str]:
    """The clients and the account id when AWS answers; otherwise None and why not."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    if boto3.Session(region_name=region).get_credentials() is None:
        return None, "no AWS credentials found"
    aws = clients(region)
    try:
        return aws, str(aws["sts"].get_caller_identity()["Account"])
    except (BotoCoreError, ClientError) as exc:
        return None, f"AWS did not answer: {exc}"


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        settings = stages.load(stages.path(args.stage, args.stages), stackspec.load_stacks())
    except stages.StageFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    role = args.execution_role
    config = Config.of(settings, args.stage, region=args.region, execution_role=role)
    if args.action == "build-target":
        print(f"RUNTIME={settings.runtime} ARCH={settings.arch}")
        return 0
    if args.action == "destroy-plan":
        print(as_text(destroy_commands(destroy_plan(config))))
        return 0
    if args.action == "plan":
        return plan(config, settings, offline=args.offline)
    from deploytools import changesets, execute, stackdeploy

    aws = clients(config.region)
    config = Config.of(
        settings,
        args.stage,
        region=args.region,
        account_id=aws["sts"].get_caller_identity()["Account"],
        execution_role=role,
    )
    if args.action == "destroy":
        execute.destroy(destroy_plan(config), aws, print)
        return 0
    try:
        outputs = execute.deploy(
            deploy_plan(config, settings), aws, print, allow_replace=args.allow_replace
        )
    except stackdeploy.ReplacementRefusedError as exc:
        print(f"make deploy: {exc}", file=sys.stderr)
        return 3
    except changesets.ChangeSetError as exc:
        print(
            f"make deploy: CloudFormation could not make the change set of {exc}", file=sys.stderr
        )
        return 1
    for key, value in sorted(outputs.items()):
        print(f"{key}: {value}")
    return 0


def plan(config: Config, settings: stages.StageSettings, *, offline: bool) -> int:
    """The plan from the stage file; with AWS access, each stack's drift and change set."""
    aws, account = (None, "--offline") if offline else reachable(config.region)
    if aws is not None:
        config = Config.of(
            settings,
            config.stage,
            region=config.region,
            account_id=account,
            execution_role=config.execution_role,
        )
    deploy = deploy_plan(config, settings)
    print(f"# stage {config.stage}: every value from {stages.shown(settings.path)}, but the code")
    print("# keys (the build's), earlier stacks' outputs and the zones (the deploy's)")
    print(as_text(deploy_commands(deploy)))
    print()
    if aws is None:
        print(
            f"# drift and change sets: not checked ({account}). They need AWS access: with "
            "credentials, make deploy-plan compares each deployed stack's values with the "
            "stage file and creates (then deletes) a change set per stack."
        )
        return 0
    from botocore.exceptions import BotoCoreError, ClientError

    from deploytools.preview import preview

    print(f"# account {account}, {config.region}: drift and change sets (nothing is changed)")
    try:
        preview(deploy, aws, print)
    except (BotoCoreError, ClientError) as exc:
        print(f"# drift and change sets stopped: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
