"""`make smoke STAGE=…`: the deployed stage answers, where its stack outputs say (targets.py).

- Each API's sample GET cases that need no earlier case (events/<function>/), sent to the
  deployed URL (signed when AuthMode is iam, with the key when api-key): each status as expected.
- Each import path: an object holding only the header line of the function's sample upload (no
  row, so that a stage gains no data) goes under the trigger's prefix; its report must say
  `completed`. The object and its report are deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import TYPE_CHECKING, Any

import stackspec
from deploytools import cloudformation
from deploytools.plan import Config
from deploytools.targets import Api, Deployed, ImportPath, find
from localcloud.upload import report_key, wait_for_report

if TYPE_CHECKING:
    from collections.abc import Callable

    # method, url -> HTTP status
    Send = Callable[[str, str], int]

TIMEOUT_SECONDS = 10.0  # one API request
DONE = "completed"


def check_api(api: Api, send: Send) -> list[str]:
    """One line per sample request whose status differs from its expectation."""
    problems = []
    for case in api.cases:
        event = case.event
        query = urllib.parse.urlencode(event.get("queryStringParameters") or {})
        url = api.url + event["path"] + (f"?{query}" if query else "")
        status = send(event["httpMethod"], url)
        wanted = case.response.get("statusCode")
        if status != wanted:
            problems.append(f"{event['httpMethod']} {url}: {status}, expected {wanted}")
    return problems


def check_import(s3: Any, path: ImportPath, timeout: float) -> list[str]:
    """Upload a file with no row, wait for its report, delete both; a line if it failed."""
    key = f"{path.prefix}smoke-{uuid.uuid4().hex}{path.suffix}"
    put = s3.put_object(Bucket=path.bucket, Key=key, Body=path.header)
    versions = {put.get("VersionId") or "", put["ETag"].strip('"')} - {"", "null"}
    where = f"s3://{path.bucket}/{key}"
    try:
        report = wait_for_report(s3, path.bucket, key, versions, timeout)
    except TimeoutError as exc:
        return [f"{where}: {exc}"]
    finally:
        _delete(s3, path.bucket, key)
    _delete(s3, path.bucket, report_key(key))
    if report.get("status") != DONE:
        return [f"{where}: {report.get('status')}, expected {DONE} ({report.get('error')})"]
    return []


def _delete(s3: Any, bucket: str, key: str) -> None:
    """The key's current version itself: a versioned bucket would keep it behind a marker."""
    from botocore.exceptions import ClientError

    try:
        version = s3.head_object(Bucket=bucket, Key=key).get("VersionId")
    except ClientError:
        return  # not there
    which = {"VersionId": version} if version and version != "null" else {}
    s3.delete_object(Bucket=bucket, Key=key, **which)


def sender(headers: Callable[[str, str], dict[str, str]]) -> Send:
    """GET/HEAD over HTTPS with the headers `headers(method, url)` gives; returns the status."""

    def send(method: str, url: str) -> int:
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"not an HTTP URL: {url}")
        # http(s) only, checked above (ruff S310, bandit B310)
        request = urllib.request.Request(url, method=method, headers=headers(method, url))  # noqa: S310
        try:
            with urllib.request.urlopen(  # noqa: S310  # nosec B310: http(s) only, checked above
                request, timeout=TIMEOUT_SECONDS
            ) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    return send


def sigv4_headers(session: Any, region: str) -> Callable[[str, str], dict[str, str]]:
    """Headers of a request signed for API Gateway (AuthMode iam) with the session's keys."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    credentials = session.get_credentials().get_frozen_credentials()

    def headers(method: str, url: str) -> dict[str, str]:
        request = AWSRequest(method=method, url=url)
        SigV4Auth(credentials, "execute-api", region).add_auth(request)
        return dict(request.headers.items())

    return headers


def api_sender(session: Any, api: Api, region: str) -> Send:
    """Requests as the API's AuthMode wants them."""
    if api.auth == "iam":
        return sender(sigv4_headers(session, region))
    if api.auth == "api-key":
        apigateway = session.client("apigateway")
        value = apigateway.get_api_key(apiKey=api.key_id, includeValue=True)["value"]
        return sender(lambda _method, _url: {"x-api-key": value})
    return sender(lambda _method, _url: {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make smoke", description=__doc__)
    parser.add_argument("--stage", required=True)
    parser.add_argument("--project", default="lambda-stack")
    parser.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for a report")
    args = parser.parse_args(argv)
    import boto3

    session = boto3.Session(region_name=args.region)
    cfn = session.client("cloudformation")
    config = Config(args.stage, args.project, args.region)
    stacks = stackspec.load_stacks(config.templates)
    deployed = {s.name: deployed_stack(cfn, config.stack_name(s.name)) for s in stacks}
    apis, imports = find(stacks, deployed)
    problems = []
    for api in apis:
        problems += check_api(api, api_sender(session, api, args.region))
        print(f"{api.url}: {len(api.cases)} request(s) checked")
    for path in imports:
        problems += check_import(session.client("s3"), path, args.timeout)
        print(f"s3://{path.bucket}/{path.prefix}: an upload with no row imported")
    for line in problems:
        print(f"FAILED {line}")
    return 1 if problems else 0


def deployed_stack(cfn: Any, stack_name: str) -> Deployed:
    """A stack's outputs and current parameter values."""
    stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    parameters = {p["ParameterKey"]: p["ParameterValue"] for p in stack.get("Parameters", [])}
    return Deployed(cloudformation.outputs(cfn, stack_name), parameters)


if __name__ == "__main__":
    raise SystemExit(main())
