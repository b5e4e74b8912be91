"""Ctrl-C on `make dev` as a terminal sends it: to the whole process group (make, uv, python).

`uv run` forwards the signal to python once more, so python gets it twice in a row; a second
signal used to interrupt the shutdown, print a traceback and leave the S3 snapshot half
written. The stack here is a real `make dev` in a session of its own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tarfile
import threading
import time
from typing import TYPE_CHECKING

import pytest

from localcloud.instance import read_state
from tests.localcloud.test_e2e import READY_TIMEOUT, REPO, free_port

pytestmark = pytest.mark.heavy  # tests/conftest.py: scheduled first

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_s3 import S3Client

OBJECTS = 40


def _start_make_dev(data_dir: Path) -> tuple[subprocess.Popen[str], list[str], threading.Thread]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DATABASE_URL", "LOG_LEVEL", "POWERTOOLS_", "MAKE", "DEBUG"))
    }
    env.update(
        LOCAL_DATA_DIR=str(data_dir),
        API_PORT=str(free_port()),
        S3_PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        ["make", "--no-print-directory", "dev"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        output.extend(process.stdout)  # until every process of the group closed it

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + READY_TIMEOUT
    while not any("ready in" in line for line in output):
        assert process.poll() is None, "".join(output)
        assert time.monotonic() < deadline, "".join(output)
        time.sleep(0.1)
    return process, output, reader


def _s3(data_dir: Path) -> S3Client:
    import boto3

    state = read_state(data_dir)
    assert state is not None
    return boto3.client(
        "s3",
        endpoint_url=state["s3_endpoint"],
        aws_access_key_id="localcloud",
        aws_secret_access_key="localcloud",  # noqa: S106 (the emulator's, not a secret)
        region_name="us-east-1",
    )


def _alive_in_group(pgid: int) -> list[str]:
    import psutil

    alive = []
    for process in psutil.process_iter(["pid", "status", "cmdline"]):
        try:
            if os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(" ".join(process.cmdline()))
        except (ProcessLookupError, psutil.NoSuchProcess):
            continue
    return alive


def test_ctrl_c_to_the_process_group_stops_once_cleanly_and_keeps_the_snapshot(
    tmp_path: Path,
) -> None:

    # GIVEN a running `make dev` whose bucket holds objects written this session
    process, output, reader = _start_make_dev(tmp_path)
    s3 = _s3(tmp_path)
    keys = {f"kept/{n}.txt" for n in range(OBJECTS)}
    for key in keys:
        s3.put_object(Bucket="sample-bucket", Key=key, Body=key.encode())
    postmaster = int((tmp_path / "postgres" / "postmaster.pid").read_text().split()[0])
    pgid = os.getpgid(process.pid)
    # WHEN Ctrl-C reaches the group, then uv's forwarded copy, then a later press
    os.killpg(pgid, signal.SIGINT)
    time.sleep(0.05)
    os.killpg(pgid, signal.SIGINT)
    time.sleep(0.7)
    try:
        os.killpg(pgid, signal.SIGINT)
    except ProcessLookupError:
        pass  # already stopped
    process.wait(timeout=60)
    reader.join(timeout=60)
    console = "".join(output)
    # THEN one stop, no traceback, and make reports no error of its own
    assert console.count(" stopping\n") == 1, console
    assert console.count(" stopped\n") == 1, console
    assert output[-1].endswith(" stopped\n"), console
    for noise in ("Traceback", "KeyboardInterrupt", "Error 130", "make: ***"):
        assert noise not in console, console
    # AND the snapshot holds what this session wrote, with no half-written file beside it
    with tarfile.open(tmp_path / "s3" / "sample-bucket.tar") as tar:
        assert keys <= set(tar.getnames())
    assert sorted(path.name for path in (tmp_path / "s3").iterdir()) == ["sample-bucket.tar"]
    # AND no process is left: the group's, and PostgreSQL's (a session of its own)
    deadline = time.monotonic() + 10
    while _alive_in_group(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive_in_group(pgid) == []
    # pg_ctl returns once the pid file is gone; the postmaster exits an instant later (and an
    # exited process outside our tree stays a zombie until whoever is init reaps it).
    while _running(postmaster) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(postmaster)
    assert read_state(tmp_path) is None


def _running(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
