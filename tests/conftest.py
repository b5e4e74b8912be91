"""Fixtures every test folder shares: real PostgreSQL, real S3 endpoint, events, Lambda context.

`--start-method=spawn` (or PYTHON_START_METHOD=spawn) makes every process a test starts with
multiprocessing a spawned one, as Python on macOS starts them: `make test` runs the suite so on
Linux too, which touches only the tests that start processes (nothing else uses
multiprocessing), so that a Linux run finds what a Mac would.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pytest

pytest_plugins = [
    "tests.fixtures.database",
    "tests.fixtures.s3",
    "tests.fixtures.events",
    "tests.fixtures.lambda_context",
    "tests.fixtures.functions",
    "tests.security.log_scan",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--start-method",
        choices=multiprocessing.get_all_start_methods(),
        default=os.environ.get("PYTHON_START_METHOD") or None,
        help="how multiprocessing starts processes (default: the platform's; spawn on macOS)",
    )


def pytest_configure(config: pytest.Config) -> None:
    method = config.getoption("--start-method")
    if method:
        multiprocessing.set_start_method(method, force=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Longest first: the modules marked `heavy` (a whole stack started, a long external tool)
    # go to the workers before the short ones, so that the workers of a 2-core run end
    # together instead of one finishing a 30 s module alone (96 s instead of 112 s).
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)
