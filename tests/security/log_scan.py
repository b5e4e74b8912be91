"""Pytest plugin: scan the functions' log lines of the whole run; any leak fails the session.

Each test's captured stdout/stderr travels in its report (also from xdist workers), so one
process sees every line. Only our functions' JSON log lines count: tests print and send emails
themselves. The console of the e2e tests' `make dev` process joins the report it belongs to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.security.leaks import Leak, count_function_lines, scan

if TYPE_CHECKING:
    from collections.abc import Generator

    from _pytest.terminal import TerminalReporter

_CONSOLE = "localcloud console"


class LogScan:
    """Collects leaks from every report; fails the session if there is any."""

    def __init__(self) -> None:
        self.found: list[tuple[str, Leak]] = []
        self.function_lines = 0

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # A report carries the sections of the earlier phases too: scan only its own phase's.
        for title, text in report.sections:
            if title in _own_titles(report.when):
                self.function_lines += count_function_lines(text)
                self.found.extend((report.nodeid, leak) for leak in scan(text))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.found:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: TerminalReporter) -> None:
        if not self.found:
            terminalreporter.line(f"log scan: {self.function_lines} function log lines, no leak")
            return
        terminalreporter.section("log scan: forbidden values in function logs", red=True)
        for nodeid, leak in self.found:
            terminalreporter.line(f"{nodeid}: {leak.kind}: {leak.line[:300]}", red=True)
        terminalreporter.line(f"{len(self.found)} leak(s); the session fails.", red=True)


def _own_titles(when: str | None) -> tuple[str, ...]:
    return tuple(f"Captured {stream} {when}" for stream in ("stdout", "stderr", _CONSOLE))


def pytest_configure(config: pytest.Config) -> None:
    # With xdist the workers' reports reach the controller: scan there, once.
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(LogScan(), "log-scan")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    console = _new_console_lines(item)
    if console:
        report.sections.append((f"Captured {_CONSOLE} {report.when}", console))
    return report


_seen: dict[int, int] = {}


def _new_console_lines(item: pytest.Item) -> str:
    """Lines the e2e tests' `make dev` process printed since the last report (its `output`)."""
    dev = getattr(item, "funcargs", {}).get("dev")
    output = getattr(dev, "output", None)
    if not isinstance(output, list):
        return ""
    start, _seen[id(output)] = _seen.get(id(output), 0), len(output)
    return "".join(str(line) for line in output[start:])
