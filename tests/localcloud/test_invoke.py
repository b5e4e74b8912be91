"""`make invoke` with no `make dev` running: it starts what the function needs, then stops it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

REPO = Path(__file__).resolve().parents[2]


def test_invoke_without_a_running_stack_imports_the_sample_object_and_lists_it(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    # GIVEN no local cloud for this data folder, and no S3 endpoint configured
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
    env.update(
        PYTHONPATH=str(REPO / "src"), LOCAL_DATA_DIR=str(tmp_path), DATABASE_URL=database_url
    )
    events = [REPO / "events" / "sqs_s3_object_created.json", REPO / "events" / "get_users.json"]
    # WHEN
    result = subprocess.run(
        [sys.executable, "-m", "localcloud.invoke", *map(str, events)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    # THEN the import ran against a fresh in-memory S3 holding sample_users.csv
    assert result.returncode == 0, result.stderr
    assert "an in-memory S3 holding sample_users.csv" in result.stderr
    (count,) = db.execute("SELECT count(*) FROM users").fetchone() or (0,)
    assert count == 30
    # and the API saw the imported users, in the response printed last
    response = json.loads(result.stdout[result.stdout.rindex('{\n  "statusCode"') :])
    assert response["statusCode"] == 200
    assert len(json.loads(response["body"])["items"]) == 20


def test_invoke_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "LOCAL_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "localcloud.invoke", str(bad)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "cannot read a JSON event" in result.stderr
