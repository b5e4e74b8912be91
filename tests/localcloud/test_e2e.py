"""`make dev` end to end over real sockets: one `python -m localcloud` for the whole module.

The steps run in file order against the same running stack; the last one stops it.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

import stackspec
from deploytools import smoke
from deploytools.targets import Api, ImportPath, reads, sample_header
from localcloud import declared, triggers
from localcloud.instance import read_state
from stackspec import QueueTrigger
from stackspec.events import cases

pytestmark = pytest.mark.heavy  # tests/conftest.py: scheduled first

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from mypy_boto3_s3 import S3Client

    from stackspec import Function
    from stackspec.events import Case

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60  # generous: the suite shares two cores with other test workers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Dev:
    """The running local cloud: its process, its console lines, its endpoints."""

    def __init__(
        self, data_dir: Path, variables: dict[str, str] | None = None, flags: tuple[str, ...] = ()
    ) -> None:
        self.data_dir = data_dir
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("AWS_", "DATABASE_URL", "LOG_LEVEL", "POWERTOOLS_", "DEBUG"))
        }
        env.update(
            PYTHONPATH=str(REPO / "src"),
            LOCAL_DATA_DIR=str(data_dir),
            API_PORT=str(free_port()),
            S3_PORT=str(free_port()),
            PYTHONUNBUFFERED="1",
        )
        env.update(variables or {})
        self.env = env
        self.process = subprocess.Popen(
            [sys.executable, *flags, "-m", "localcloud"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.ready_line = self.wait_for("ready in", READY_TIMEOUT)
        state = read_state(data_dir)
        assert state is not None
        self.state = state
        self.api = state["api_url"]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if text in line:
                return line
        raise AssertionError(f"no {text!r} line; console:\n{''.join(self.output)}")

    def s3(self) -> S3Client:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.state["s3_endpoint"],
            aws_access_key_id="localcloud",
            aws_secret_access_key="localcloud",  # noqa: S106 (docker-compose's, not a secret)
            region_name="us-east-1",
        )

    def run_tool(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """`python -m ARGS` with this local cloud's environment, as the make targets run it."""
        return subprocess.run(
            [sys.executable, "-m", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.api + path, data=data, method=method)  # noqa: S310
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dev]:
    # Every process of the stack reports each module it imports (see the test on debugpy).
    running = Dev(tmp_path_factory.mktemp("localcloud"), flags=("-X", "importtime"))
    yield running
    if running.process.poll() is None:
        running.process.send_signal(signal.SIGINT)
        running.process.wait(timeout=30)


def api_function() -> Function:
    return next(f for f in stackspec.functions() if triggers.api_paths(f))


def bucket_fed() -> tuple[Function, QueueTrigger]:
    """The function whose queue the import bucket feeds, and that trigger."""
    return next(
        (f, t)
        for f in stackspec.functions()
        for t in f.triggers
        if isinstance(t, QueueTrigger) and t.source is not None
    )


def emails(dev: Dev) -> set[str]:
    status, page = dev.call("GET", "/users?limit=100")
    assert status == 200
    return {user["email"] for user in page["items"]}


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def wait_for_report(s3: S3Client, bucket: str, key: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            report: dict[str, Any] = json.loads(
                s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            )
            return report
        except s3.exceptions.NoSuchKey:
            time.sleep(0.05)
    raise AssertionError(f"no report at {key}")


def test_ready_line_lists_endpoints_commands_and_time(dev: Dev) -> None:
    assert dev.api in dev.ready_line
    assert f"{dev.api}/docs" in dev.ready_line
    assert dev.state["s3_endpoint"] in dev.ready_line
    assert "make seed" in dev.ready_line and "make invoke" in dev.ready_line
    assert float(dev.ready_line.split("ready in ")[1].split(" s")[0]) > 0


def test_post_a_user_then_get_it(dev: Dev) -> None:
    status, created = dev.call("POST", "/users", {"name": "Eve", "email": "eve@example.com"})
    assert status == 201
    status, fetched = dev.call("GET", f"/users/{created['id']}")
    assert (status, fetched) == (200, created)
    assert f"{api_function().name:<13} POST /users" in dev.wait_for("POST /users", 5)


def test_uploaded_csv_users_appear_within_10_s_and_its_report_is_written(dev: Dev) -> None:
    # GIVEN
    s3, bucket = dev.s3(), dev.state["bucket"]
    rows = "".join(f"csv{n}@example.com,User {n}\r\n" for n in range(5))
    # WHEN
    started = time.monotonic()
    s3.put_object(Bucket=bucket, Key="imports/e2e.csv", Body=f"Email,Name\r\n{rows}".encode())
    # THEN
    expected = {f"csv{n}@example.com" for n in range(5)}
    while not expected <= emails(dev):
        assert time.monotonic() - started < 10, "users not visible within 10 s"
        time.sleep(0.1)
    report = wait_for_report(s3, bucket, "reports/e2e.csv.json", 10)
    assert report["status"] == "completed"
    assert (report["rows_read"], report["inserted"], report["rejected"]) == (5, 5, 0)


def test_import_that_fails_transiently_is_retried_to_success(dev: Dev) -> None:
    # GIVEN the users table locked, so that the import blocks inside its transaction
    s3, bucket = dev.s3(), dev.state["bucket"]
    function, trigger = bucket_fed()
    service = function.environment["POWERTOOLS_SERVICE_NAME"]  # its connections' name
    with psycopg.connect(dev.state["database_url"], autocommit=True) as admin:
        locker = psycopg.connect(dev.state["database_url"])
        locker.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        s3.put_object(
            Bucket=bucket, Key="imports/retry.csv", Body=b"name,email\nRay,ray@example.com\n"
        )
        # WHEN the import's backend is terminated while it waits on the lock
        pid = None
        deadline = time.monotonic() + 15
        while pid is None and time.monotonic() < deadline:
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity "
                "WHERE application_name = %s AND wait_event_type = 'Lock'",
                [service],
            ).fetchone()
            pid = row[0] if row else None
            time.sleep(0.05)
        assert pid is not None, "the import never blocked on the lock"
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        locker.close()
    # THEN the poller says so, the record comes back, and the second attempt imports the row
    delay = declared.retry_delay(trigger)
    line = dev.wait_for("retry.csv: failed", 15)
    assert "failed (receive 1): " in line and f"(transient), retried in {delay} s" in line
    report = wait_for_report(s3, bucket, "reports/retry.csv.json", 15 + delay)
    assert report["status"] == "completed" and report["inserted"] == 1
    # (the importer writes the report inside its transaction: the rows follow in a moment)
    wait_until(lambda: "ray@example.com" in emails(dev), 5)


def _invoke_on_the_running_stack(dev: Dev, found: list[Case]) -> None:
    result = dev.run_tool("localcloud.invoke", *(str(case.path) for case in found))
    # every case ran on the running stack's database and got what it expects
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("using the running local cloud") == len(found)
    assert result.stderr.count("match: ") == len(found)


def test_make_invoke_runs_a_sample_case_of_each_function_against_the_running_stack(
    dev: Dev,
) -> None:
    # One case per function, one that needs no other first: each function answers `make
    # invoke` through the running stack. Every case runs from the zips in tests/build.
    found = [
        next(case for case in cases(function) if not case.after)
        for function in declared.triggered(stackspec.functions())
    ]
    _invoke_on_the_running_stack(dev, found)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CHECK_DEEP") != "1", reason="every case: make check-deep")
def test_make_invoke_runs_each_sample_case_against_the_running_stack_and_each_matches(
    dev: Dev,
) -> None:
    # each after those it needs
    found = [case for f in declared.triggered(stackspec.functions()) for case in cases(f)]
    _invoke_on_the_running_stack(dev, found)


def test_queues_of_the_running_stack_have_the_declared_settings(dev: Dev) -> None:
    import boto3

    sqs = boto3.client(
        "sqs",
        endpoint_url=dev.state["s3_endpoint"],
        aws_access_key_id="localcloud",
        aws_secret_access_key="localcloud",  # noqa: S106 (docker-compose's, not a secret)
        region_name="us-east-1",
    )
    _, trigger = bucket_fed()
    url = sqs.get_queue_url(QueueName=trigger.queue)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert int(attributes["VisibilityTimeout"]) == trigger.visibility_timeout
    redrive = json.loads(attributes["RedrivePolicy"])
    assert int(redrive["maxReceiveCount"]) == trigger.max_receive_count
    assert redrive["deadLetterTargetArn"].endswith(f":{trigger.dead_letter_queue}")


def test_make_import_uploads_waits_for_the_report_and_prints_it(dev: Dev) -> None:
    result = dev.run_tool("localcloud.upload", str(REPO / "sample_users.csv"))
    assert result.returncode == 0, result.stderr
    assert "imports/sample_users.csv:" in result.stdout
    assert "ada.example01@example.com" in emails(dev)


def smoke_targets(dev: Dev, header: bytes | None = None) -> tuple[Api, ImportPath]:
    """The running stack in place of a deployed stage: its API, its import bucket."""
    fed, trigger = bucket_fed()
    assert trigger.source is not None
    header = header or sample_header(fed)
    assert header is not None
    path = ImportPath(dev.state["bucket"], trigger.source.prefix, trigger.source.suffix, header)
    return Api(dev.api, "none", None, reads(api_function())), path


def test_the_smoke_checks_pass_on_the_running_stack_and_leave_nothing_behind(dev: Dev) -> None:
    # GIVEN
    api, path = smoke_targets(dev)
    s3, before = dev.s3(), emails(dev)
    # WHEN
    problems = smoke.check_api(api, smoke.sender(lambda _m, _u: {}))
    problems += smoke.check_import(s3, path, timeout=30)
    # THEN the API answered as expected and the import ran, with no row and no object left
    assert api.cases and problems == []
    assert emails(dev) == before
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=path.bucket).get("Contents", [])]
    assert [key for key in keys if "smoke-" in key] == []


def test_the_smoke_checks_report_an_api_and_an_import_that_answer_otherwise(dev: Dev) -> None:
    # GIVEN a URL where the API is not, and a file the importer cannot read as its format
    api, path = smoke_targets(dev, header=b"no,such,columns\n")
    elsewhere = Api(f"{api.url}/elsewhere", api.auth, api.key_id, api.cases)
    # WHEN
    problems = smoke.check_api(elsewhere, smoke.sender(lambda _m, _u: {}))
    problems += smoke.check_import(dev.s3(), path, timeout=30)
    # THEN one line per request, and one for the import, each saying what it got
    assert len(problems) == len(api.cases) + 1
    assert all(": 404, expected " in line for line in problems[:-1])
    assert "failed, expected completed" in problems[-1]


def test_second_instance_on_the_same_data_says_so(dev: Dev) -> None:
    second = dev.run_tool("localcloud", timeout=60)
    assert second.returncode == 1
    assert f"already running for {dev.data_dir} (pid {dev.process.pid}" in second.stderr


def test_without_debug_no_process_of_the_stack_imported_debugpy(dev: Dev) -> None:
    # GIVEN the steps above: requests, imports and invocations, in each function's process
    imported = {
        line.rsplit("|", 1)[1].strip() for line in dev.output if line.startswith("import time:")
    }
    # THEN each reported its imports (down to the functions' own code), and none was debugpy's
    packages = {name.partition(".")[0] for name in imported}
    assert {"localcloud", api_function().name, bucket_fed()[0].name} <= packages
    assert "debugpy" not in packages
    assert "debugger" not in dev.ready_line


def test_sigint_exits_0_and_leaves_no_process(dev: Dev) -> None:
    import psutil

    # GIVEN every process the stack started, PostgreSQL's postmaster included
    postmaster = int((dev.data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
    started = [psutil.Process(postmaster), *psutil.Process(dev.process.pid).children(True)]
    # WHEN
    dev.process.send_signal(signal.SIGINT)
    # THEN
    assert dev.process.wait(timeout=30) == 0
    _, alive = psutil.wait_procs(started, timeout=10)
    assert alive == []
    console = [line for line in dev.output if not line.startswith("import time:")]
    assert "stopped" in console[-1]
    assert read_state(dev.data_dir) is None
