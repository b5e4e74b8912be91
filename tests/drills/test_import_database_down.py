"""Drill: the database is down when a fresh importer starts; it raises and writes nothing.

A true cold start: the handler runs in a new interpreter whose DATABASE_URL names a socket
directory where no server listens. Then the database is "back" (the real URL) and the same
delivery, retried, imports once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.sample_event.conftest import s3_event

REPO = Path(__file__).resolve().parents[2]
BODY = b"name,email\nAda,ada@example.com\nAlan,alan@example.com\n"
SCRIPT = (
    "import json, sys\n"
    "from sample_event.index import handler\n"
    "from localcloud.context import LocalContext\n"
    "print(json.dumps(handler(json.loads(sys.argv[1]), LocalContext('sample_event', 30))))\n"
)


def _cold_start(event: dict[str, Any], database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(event)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _json_lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def test_database_down_at_cold_start_raises_and_writes_nothing(
    s3_client: Any, bucket: str, db: Any, database_url: str, tmp_path: Path
) -> None:
    put = s3_client.put_object(Bucket=bucket, Key="imports/down.csv", Body=BODY)
    event = s3_event(bucket, "imports/down.csv", put["VersionId"], put["ETag"].strip('"'))
    # GIVEN no server at the database's address
    nowhere = f"postgresql://postgres@/postgres?host={tmp_path}&connect_timeout=2"
    # WHEN a fresh function receives the event, THEN it fails (Lambda retries the event)
    down = _cold_start(event, nowhere)
    assert down.returncode != 0
    assert "DatabaseUnavailableError" in down.stderr
    # AND logs the failure once, with the import id, and counts it
    lines = _json_lines(down.stdout)
    errors = [line for line in lines if line.get("level") == "ERROR"]
    assert len(errors) == 1, errors
    assert errors[0]["import_id"]
    assert errors[0]["message"] == "import failed, will be retried"
    assert any(line.get("ImportsFailed") == [1.0] for line in lines), lines
    # AND nothing is written: no report, and the database (reachable again) has no trace
    assert s3_client.list_objects_v2(Bucket=bucket, Prefix="reports/").get("KeyCount") == 0
    assert db.execute("SELECT count(*) FROM imports").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM users").fetchone() == (0,)
    # WHEN the database is back and the delivery is retried, THEN it imports once
    up = _cold_start(event, database_url)
    assert up.returncode == 0, up.stderr[-2000:]
    assert _json_lines(up.stdout)[-1]["imports"][0]["status"] == "completed"
    assert db.execute("SELECT name, email FROM users ORDER BY email").fetchall() == [
        ("Ada", "ada@example.com"),
        ("Alan", "alan@example.com"),
    ]
    assert db.execute("SELECT status, attempts, inserted FROM imports").fetchone() == (
        "completed",
        1,
        2,
    )
