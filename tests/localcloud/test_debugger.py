"""`make dev DEBUG=1` and .vscode/launch.json: a breakpoint in an action stops the request.

The deep tests (make check-deep) drive debugpy with a small DAP client (tests/localcloud/dap.py)
sending what VS Code sends for the configurations of .vscode/launch.json: "attach to make dev"
on a running `python -m localcloud` with DEBUG=1, and the two launch configurations through
debugpy's own adapter. The fast ones check the switch and the port; test_e2e.py checks that a
`make dev` without DEBUG=1 loads nothing of debugpy, in any of its processes.
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
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest

from localcloud import debugger
from localcloud.config import DEFAULT_DEBUG_PORT, load_config
from localcloud.scratch import throwaway_database
from tests.localcloud.dap import TIMEOUT, Dap, Editor
from tests.localcloud.test_e2e import REPO, Dev, free_port, wait_for_report

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

DEEP = pytest.mark.skipif(
    os.environ.get("CHECK_DEEP") != "1", reason="starts debugpy: make check-deep (CHECK_DEEP=1)"
)
# The sample functions' actions, and what reaches them.
API_ACTION = REPO / "src/sample_api/actions/list_users.py"
API_PATH = "/users"
API_EVENT = REPO / "events/sample_api/get_users.json"
API_TEST = REPO / "tests/sample_api/test_list_users.py"
IMPORT_ACTION = REPO / "src/sample_event/actions/import_object.py"
ADAPTER = [sys.executable, "-m", "debugpy.adapter"]  # what VS Code starts for a launch


def line_of(path: Path, text: str) -> int:
    """The number of the first line of `path` that contains `text`."""
    lines = path.read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


API_LINE = line_of(API_ACTION, "after_id = 0 if cursor is None")
IMPORT_LINE = line_of(IMPORT_ACTION, "if not imports.is_importable(ref.key)")


def launch_configuration(name: str, **variables: str) -> dict[str, Any]:
    """The configuration of .vscode/launch.json by that name, its ${variables} replaced."""
    text = (REPO / ".vscode/launch.json").read_text()
    for variable, value in {"workspaceFolder": str(REPO), **variables}.items():
        text = text.replace("${" + variable + "}", value)
    configurations = json.loads(text)["configurations"]
    found: dict[str, Any] = next(c for c in configurations if c["name"] == name)
    return found


# -- fast: DEBUG=1 alone starts it, where launch.json attaches ---------------------------


@pytest.mark.parametrize("value", [None, "", "0", "true", "*"])
def test_debug_other_than_1_starts_no_debugger(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    # DEBUG=* is node's `debug` setting: a shell holding it must not start debugpy
    if value is None:
        monkeypatch.delenv("DEBUG", raising=False)
    else:
        monkeypatch.setenv("DEBUG", value)
    assert load_config().debug_port is None


def test_debug_1_listens_on_5678_unless_debug_port_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.delenv("DEBUG_PORT", raising=False)
    assert load_config().debug_port == DEFAULT_DEBUG_PORT == 5678
    monkeypatch.setenv("DEBUG_PORT", "5999")
    assert load_config().debug_port == 5999


def test_attach_to_make_dev_connects_where_make_dev_debug_1_listens() -> None:
    connect = launch_configuration("attach to make dev")["connect"]
    assert (connect["host"], connect["port"]) == (debugger.HOST, DEFAULT_DEBUG_PORT)


# -- deep: a debugger attached to make dev DEBUG=1 ---------------------------------------------


@pytest.fixture(scope="module")
def debugged(tmp_path_factory: pytest.TempPathFactory, server_url: str) -> Iterator[Dev]:
    """`make dev DEBUG=1` on a port of its own, with a database of its own."""
    with throwaway_database(server_url, prefix="debugged") as database_url:
        variables = {"DEBUG": "1", "DEBUG_PORT": str(free_port()), "DATABASE_URL": database_url}
        running = Dev(tmp_path_factory.mktemp("debugged"), variables)
        yield running
        if running.process.poll() is None:
            running.process.send_signal(signal.SIGINT)
            running.process.wait(timeout=30)


@pytest.fixture
def editor(debugged: Dev) -> Iterator[Editor]:
    """An editor that attaches to make dev's debugpy as VS Code does; detached after the test."""
    attached = Editor("127.0.0.1", int(debugged.env["DEBUG_PORT"]))
    yield attached
    attached.close()  # leaves make dev running, for the next test


def attach_arguments(dev: Dev) -> dict[str, Any]:
    """ "attach to make dev", on the port this make dev was given rather than 5678."""
    configuration = launch_configuration("attach to make dev")
    configuration["connect"]["port"] = int(dev.env["DEBUG_PORT"])
    return configuration


@pytest.mark.slow
@DEEP
def test_make_dev_says_where_the_debugger_listens_and_how_to_attach(debugged: Dev) -> None:
    line = next(line for line in debugged.output if "debugger: " in line)
    assert f"127.0.0.1:{debugged.env['DEBUG_PORT']}" in line
    assert '"attach to make dev"' in line
    assert f"debugger 127.0.0.1:{debugged.env['DEBUG_PORT']}" in debugged.ready_line


@pytest.mark.slow
@DEEP
def test_breakpoint_in_an_api_action_holds_the_request_until_continued(
    debugged: Dev, editor: Editor
) -> None:
    # GIVEN a breakpoint in the action, set by the editor attached to make dev
    editor.attach(attach_arguments(debugged), {str(API_ACTION): API_LINE})
    answers: queue.Queue[int] = queue.Queue()

    def get() -> None:
        with urllib.request.urlopen(debugged.api + API_PATH, timeout=60) as response:  # noqa: S310
            answers.put(response.status)

    # WHEN a request comes to the gateway
    threading.Thread(target=get, daemon=True).start()
    # THEN it stops there, and gets no answer until the editor continues
    session, thread, path, line = editor.hits.get(timeout=TIMEOUT)
    assert (path, line) == (str(API_ACTION), API_LINE)
    assert answers.empty()
    session.request("continue", {"threadId": thread})
    assert answers.get(timeout=TIMEOUT) == 200


@pytest.mark.slow
@DEEP
def test_breakpoint_in_the_importer_stops_it_in_the_process_of_its_own(
    debugged: Dev, editor: Editor
) -> None:
    # GIVEN the importer's process running (a first import done) before the editor attaches
    s3, bucket = debugged.s3(), debugged.state["bucket"]
    s3.put_object(Bucket=bucket, Key="imports/first.csv", Body=b"name,email\nAl,al@example.com\n")
    wait_for_report(s3, bucket, "reports/first.csv.json", TIMEOUT)
    editor.attach(attach_arguments(debugged), {str(IMPORT_ACTION): IMPORT_LINE})
    # WHEN a CSV lands in the bucket
    s3.put_object(Bucket=bucket, Key="imports/second.csv", Body=b"name,email\nBo,bo@x.org\n")
    # THEN the import stops in its action, in the importer's process, until the editor continues
    session, thread, path, line = editor.hits.get(timeout=TIMEOUT)
    assert (path, line) == (str(IMPORT_ACTION), IMPORT_LINE)
    assert session is not editor.sessions[0]  # a subprocess's session, not make dev's own
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert "reports/second.csv.json" not in keys
    session.request("continue", {"threadId": thread})
    report = wait_for_report(s3, bucket, "reports/second.csv.json", TIMEOUT)
    assert report["inserted"] == 1


@pytest.mark.slow
@DEEP
def test_make_dev_stopped_leaves_no_process_even_when_a_client_ignored_its_subprocesses(
    tmp_path: Path, server_url: str
) -> None:
    import psutil

    # GIVEN a DAP client attached from the start that never attaches to what debugpy announces
    port = free_port()
    clients: queue.Queue[Dap] = queue.Queue()

    def attach_early() -> None:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                session = Dap.connect("127.0.0.1", port)
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        session.start("attach", {"connect": {"host": "127.0.0.1", "port": port}}, {})
        clients.put(session)

    threading.Thread(target=attach_early, daemon=True).start()
    with throwaway_database(server_url, prefix="stopped") as database_url:
        variables = {"DEBUG": "1", "DEBUG_PORT": str(port), "DATABASE_URL": database_url}
        dev = Dev(tmp_path, variables)
        client = clients.get(timeout=TIMEOUT)
        try:
            # ... and a function's process started meanwhile, left waiting for that client
            s3, bucket = dev.s3(), dev.state["bucket"]
            s3.put_object(Bucket=bucket, Key="imports/x.csv", Body=b"name,email\nCy,cy@x.org\n")
            client.event("debugpyAttach")
            adapter = [
                psutil.Process(c.pid)
                for c in psutil.net_connections("tcp")
                if c.status == psutil.CONN_LISTEN and c.laddr.port == port
            ]
            started = [*adapter, *psutil.Process(dev.process.pid).children(recursive=True)]
            # WHEN make dev stops
            dev.process.send_signal(signal.SIGINT)
            assert dev.process.wait(timeout=TIMEOUT) == 0
        finally:
            client.close()
    # THEN every process it started ended, debugpy's adapter too, and the port is free again
    _, alive = psutil.wait_procs(started, timeout=15)
    survivors = [process.cmdline()[-1][-60:] for process in alive]
    for process in alive:
        process.kill()  # the next run's port must be free, whatever this one found
    assert survivors == []
    with socket.socket() as probe:
        # As make dev and debugpy do: connections of the last session in TIME_WAIT don't count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))


# -- deep: the launch configurations, through debugpy's adapter --------------------------------


def launched_environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    """This machine's variables, less the test run's own, plus a database and a data folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DATABASE_URL", "LOCAL_DATA_DIR", "PYTEST_", "DEBUG"))
    }
    env.update(
        DATABASE_URL=database_url,
        LOCAL_DATA_DIR=str(tmp_path / "local"),
        PYTEST_ADDOPTS=f"--basetemp={tmp_path / 'pytest'}",  # never the outer run's folder
    )
    return env


def run_launch(name: str, file: Path, env: dict[str, str], breakpoint: tuple[Path, int]) -> int:
    """Launch the configuration on `file` under the debugger; stop at the breakpoint, continue,
    and return the exit code."""
    adapter = subprocess.Popen(ADAPTER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    assert adapter.stdin is not None and adapter.stdout is not None
    session = Dap(adapter.stdout, adapter.stdin, adapter.stdin.close)  # EOF: the adapter ends
    try:
        arguments = launch_configuration(name, file=str(file))
        # The output comes as events rather than in an editor's terminal.
        arguments.update(console="internalConsole", python=[sys.executable])
        path, line = breakpoint
        session.start("launch", arguments, {str(path): line})
        thread, stopped_path, stopped_line = session.stopped_at()
        assert (stopped_path, stopped_line) == (str(path), line)
        session.request("setBreakpoints", {"source": {"path": str(path)}, "breakpoints": []})
        session.request("continue", {"threadId": thread})
        code: int = session.event("exited", timeout=120)["exitCode"]
        return code
    finally:
        session.close()
        try:
            adapter.wait(timeout=30)
        finally:
            adapter.kill()  # a no-op once it has exited


@pytest.mark.slow
@DEEP
def test_invoke_this_event_file_stops_at_a_breakpoint_in_the_action(
    tmp_path: Path, server_url: str
) -> None:
    with throwaway_database(server_url, prefix="launched") as database_url:
        env = launched_environment(tmp_path, database_url)
        code = run_launch("invoke this event file", API_EVENT, env, (API_ACTION, API_LINE))
    assert code == 0  # and the answer matched the event's expectation


@pytest.mark.slow
@DEEP
def test_debug_this_test_stops_at_a_breakpoint_in_the_action(
    tmp_path: Path, server_url: str
) -> None:
    env = launched_environment(tmp_path, server_url)
    code = run_launch("debug this test", API_TEST, env, (API_ACTION, API_LINE))
    assert code == 0  # and every test of the file passed
