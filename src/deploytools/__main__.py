"""`python -m deploytools plan|deploy|destroy --stage dev`: the Makefile's deploy targets."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from typing import Any

from deploytools.plan import Config, deploy_plan, destroy_plan
from deploytools.render import as_text, deploy_commands, destroy_commands


def parse(argv: list[str]) -> tuple[str, Config]:
    """The action and the configuration named on the command line."""
    parser = argparse.ArgumentParser(prog="python -m deploytools")
    parser.add_argument("action", choices=["plan", "deploy", "destroy", "destroy-plan"])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--project", default="lambda-stack")
    parser.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
    )
    parser.add_argument("--runtime", default="python3.13")
    parser.add_argument("--arch", default="arm64", choices=["arm64", "x86_64"])
    parser.add_argument(
        "--execution-role",
        default=os.environ.get("DEPLOY_EXECUTION_ROLE_ARN", ""),
        help="CloudFormation's service role (the CI sets it: docs/pipeline.md)",
    )
    args = parser.parse_args(argv)
    config = Config(
        args.stage,
        args.project,
        args.region,
        args.runtime,
        args.arch,
        execution_role=args.execution_role,
    )
    return args.action, config


def clients(region: str) -> dict[str, Any]:
    """boto3 clients for the real thing (and their session); credentials: the usual chain."""
    import boto3

    session = boto3.Session(region_name=region)
    names = ("s3", "cloudformation", "lambda", "sts", "ec2", "apigateway", "iam")
    return {"session": session, **{name: session.client(name) for name in names}}  # type: ignore[call-overload]


def main(argv: list[str] | None = None) -> int:
    action, config = parse(sys.argv[1:] if argv is None else argv)
    if action == "plan":
        print(as_text(deploy_commands(deploy_plan(config))))
        return 0
    if action == "destroy-plan":
        print(as_text(destroy_commands(destroy_plan(config))))
        return 0
    from deploytools import execute

    aws = clients(config.region)
    config = replace(config, account_id=aws["sts"].get_caller_identity()["Account"])
    if action == "destroy":
        execute.destroy(destroy_plan(config), aws, print)
        return 0
    outputs = execute.deploy(deploy_plan(config), aws, print)
    for key, value in sorted(outputs.items()):
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
