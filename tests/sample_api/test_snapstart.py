"""SnapStart, emulated: init, the before-snapshot hooks, then forks standing for restores.

Each fork runs the after-restore hooks and serves GET /users against the real database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.sample_api.conftest import add_users

if TYPE_CHECKING:
    import psycopg

ROOT = Path(__file__).resolve().parents[2]
_LIFECYCLE = """
import json, os, random, sys  # random: imported at init, as a library may
from localcloud import snapstart as lifecycle
from localcloud.context import LocalContext
import sample_api.index as index  # the init, as Lambda runs it when a version is published
from aws_lambda_powertools.logging import logger as powertools_logger
from shared.db import get_connection

get_connection()  # as if the init had used the database
sockets_at_init = lifecycle.open_sockets()
lifecycle.run_before_snapshot()
report = {"at_init": sockets_at_init, "in_snapshot": lifecycle.open_sockets(), "restores": []}
event = json.load(open(sys.argv[1]))
for _ in range(2):
    read_end, write_end = os.pipe()
    if lifecycle.fork_restored() == 0:  # a restored environment, its hooks run
        restore = {"cold_start": powertools_logger.is_cold_start, "draw": random.random()}
        response = index.handler(event, LocalContext("sample_api"))
        restore.update(status=response["statusCode"], body=json.loads(response["body"]))
        os.write(write_end, json.dumps(restore).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        report["restores"].append(json.loads(answer.read()))
    os.wait()
print(json.dumps(report))
"""


def _lifecycle(database_url: str) -> dict[str, Any]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    event = ROOT / "events" / "sample_api" / "get_users.json"
    result = subprocess.run(
        [sys.executable, "-c", _LIFECYCLE, str(event)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return report


def test_a_restored_environment_serves_from_a_snapshot_holding_no_socket(
    database_url: str, db: psycopg.Connection[Any]
) -> None:
    # GIVEN two users, and an init that opened the function's database connection
    ids = add_users(db, 2)
    # WHEN the hooks run as Lambda runs them around a snapshot, and two copies are restored
    report = _lifecycle(database_url)
    # THEN the snapshot holds no socket, and each copy serves the users on a new connection
    assert report["at_init"], "the init opened no connection: the test shows nothing"
    assert report["in_snapshot"] == []
    for restore in report["restores"]:
        assert restore["status"] == 200
        assert [user["id"] for user in restore["body"]["items"]] == ids
        # Still a cold start to Powertools: the warm-up did not go through the handler.
        assert restore["cold_start"] is True
    # Each copy draws its own random numbers.
    first, second = (restore["draw"] for restore in report["restores"])
    assert first != second
