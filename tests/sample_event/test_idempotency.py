"""Re-delivery imports nothing twice: in a row, at the same time, and after a timed-out run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.sample_event.conftest import sqs_event

BODY = "name,email\n" + "".join(f"User {i},user{i}@example.com\n" for i in range(2000))
REPO = Path(__file__).resolve().parents[2]


def _report_versions(s3_client: Any, bucket: str) -> int:
    listed = s3_client.list_object_versions(Bucket=bucket, Prefix="reports/users.csv.json")
    return len(listed.get("Versions", []))


def _claimed_by_another_run(db: Any, obj: Any, expires_in: str) -> None:
    """The ledger row of another run that claimed obj; its claim expires after expires_in."""
    db.execute(
        "INSERT INTO imports (bucket, object_key, object_version, status, import_id, claimed_until)"
        " VALUES (%s, %s, %s, 'in_progress', gen_random_uuid(), now() + %s::interval)",
        [obj.bucket, obj.key, obj.version_id, expires_in],
    )


def test_same_event_twice_in_a_row_imports_once(
    upload: Any, invoke: Any, ledger: Any, db: Any, s3_client: Any
) -> None:
    obj = upload(BODY)
    first = invoke(obj.s3_event())
    second = invoke(obj.s3_event())
    assert first["imports"][0]["status"] == "completed"
    assert second["imports"][0]["status"] == "duplicate-delivery"
    assert db.execute("SELECT count(*) FROM users").fetchone() == (2000,)
    [row] = ledger()
    assert (row["status"], row["attempts"], row["inserted"]) == ("completed", 1, 2000)
    assert _report_versions(s3_client, obj.bucket) == 1


def _event(obj: Any, shape: str) -> dict[str, Any]:
    """obj's notification as it may arrive: whole, without versionId, or naming the key only."""
    event: dict[str, Any] = obj.s3_event()
    named = event["Records"][0]["s3"]["object"]
    if shape in ("no version", "key only"):
        named.pop("versionId", None)
    if shape == "key only":
        named.pop("eTag")
    if shape == "no version in sqs":  # moto's notifications omit it; so may a replay
        named.pop("versionId", None)
        return sqs_event(event)
    return event


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("no version", "whole"),
        ("whole", "no version"),
        ("key only", "whole"),
        ("no version in sqs", "whole"),
        ("whole", "key only"),
    ],
)
def test_one_version_delivered_in_two_shapes_imports_once_and_reports_once(
    upload: Any, invoke: Any, ledger: Any, db: Any, s3_client: Any, first: str, second: str
) -> None:
    # GIVEN one upload, and its event delivered twice with different fields
    obj = upload(BODY)
    # WHEN both deliveries run
    invoke(_event(obj, first))
    second_result = invoke(_event(obj, second))
    # THEN the object was imported once, under the version read, and its report written once
    assert second_result["imports"][0]["status"] == "duplicate-delivery"
    [row] = ledger()
    assert (row["object_version"], row["status"], row["inserted"]) == (
        obj.version_id,
        "completed",
        2000,
    )
    assert db.execute("SELECT count(*) FROM users").fetchone() == (2000,)
    assert _report_versions(s3_client, obj.bucket) == 1


def test_unversioned_object_delivered_with_and_without_etag_imports_once(
    upload: Any, unversioned_bucket: str, invoke: Any, ledger: Any, users: Any
) -> None:
    obj = upload("name,email\nAda,ada@example.com\n", into=unversioned_bucket)
    invoke(_event(obj, "key only"))
    assert invoke(_event(obj, "whole"))["imports"][0]["status"] == "duplicate-delivery"
    assert users() == [("Ada", "ada@example.com")]
    assert [(r["object_version"], r["status"]) for r in ledger()] == [(obj.etag, "completed")]


@pytest.mark.parametrize("shapes", [("whole", "whole"), ("whole", "no version")])
def test_same_upload_in_two_processes_at_once_imports_once(
    upload: Any,
    db: Any,
    ledger: Any,
    s3_client: Any,
    database_url: str,
    tmp_path: Path,
    shapes: tuple[str, str],
) -> None:
    # GIVEN two Lambda-like processes holding the upload's event, released at the same instant
    obj = upload(BODY)
    for n, shape in enumerate(shapes, 1):
        (tmp_path / f"event.{n}.json").write_text(json.dumps(_event(obj, shape)))
    go = tmp_path / "go"
    script = (
        "import json, sys, time, pathlib\n"
        "from sample_event.index import handler\n"
        "from localcloud.context import LocalContext\n"
        "event = json.loads(pathlib.Path(sys.argv[1]).read_text())\n"
        "pathlib.Path(sys.argv[2] + '.ready.' + sys.argv[3]).touch()\n"
        "while not pathlib.Path(sys.argv[2]).exists(): time.sleep(0.001)\n"
        "print(json.dumps(handler(event, LocalContext('sample_event'))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "DATABASE_URL": database_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path / f"event.{n}.json"), str(go), str(n)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for n in (1, 2)
    ]
    deadline = time.monotonic() + 30
    while not all((tmp_path / f"go.ready.{n}").exists() for n in (1, 2)):
        assert time.monotonic() < deadline, "the processes did not start"
        time.sleep(0.01)
    # WHEN both run
    go.touch()
    outputs = [proc.communicate(timeout=60)[0] for proc in procs]
    # THEN one imported and the other found the object taken; users, ledger and report once
    statuses = sorted(
        json.loads(out.strip().splitlines()[-1])["imports"][0]["status"] for out in outputs
    )
    assert statuses == ["completed", "duplicate-delivery"]
    assert db.execute("SELECT count(*), count(DISTINCT lower(email)) FROM users").fetchone() == (
        2000,
        2000,
    )
    [row] = ledger()
    assert (row["status"], row["attempts"], row["inserted"]) == ("completed", 1, 2000)
    assert _report_versions(s3_client, obj.bucket) == 1


def test_same_key_overwritten_is_imported_as_new(
    upload: Any, invoke: Any, ledger: Any, users: Any
) -> None:
    first = upload("name,email\nAda,ada@example.com\n")
    invoke(first.s3_event())
    second = upload("name,email\nAda,ada@example.com\nAlan,alan@example.com\n")
    invoke(second.s3_event())
    assert users() == [("Ada", "ada@example.com"), ("Alan", "alan@example.com")]
    rows = ledger()
    assert [r["object_version"] for r in rows] == [first.version_id, second.version_id]
    assert [(r["inserted"], r["duplicates"]) for r in rows] == [(1, 0), (1, 1)]


def test_unversioned_bucket_uses_the_etag_as_version(
    upload: Any, unversioned_bucket: str, invoke: Any, ledger: Any, users: Any
) -> None:
    obj = upload("name,email\nAda,ada@example.com\n", into=unversioned_bucket)
    assert obj.version_id is None
    invoke(obj.s3_event())
    invoke(obj.s3_event())
    assert users() == [("Ada", "ada@example.com")]
    assert [(r["object_version"], r["status"]) for r in ledger()] == [(obj.etag, "completed")]


def test_live_claim_of_another_run_is_left_alone(
    upload: Any, invoke: Any, ledger: Any, users: Any, db: Any
) -> None:
    # GIVEN another run that claimed this object a moment ago and is still within its time
    obj = upload(BODY)
    _claimed_by_another_run(db, obj, "5 minutes")
    # WHEN the event is delivered again
    result = invoke(obj.s3_event())
    # THEN this delivery succeeds without importing anything
    assert result["imports"][0]["status"] == "duplicate-delivery"
    assert users() == []
    [row] = ledger()
    assert (row["status"], row["attempts"], row["claim_alive"]) == ("in_progress", 1, True)


def test_expired_claim_of_a_timed_out_run_is_taken_over(
    upload: Any, invoke: Any, ledger: Any, db: Any
) -> None:
    # GIVEN a run that claimed this object and timed out (its claim expired)
    obj = upload(BODY)
    _claimed_by_another_run(db, obj, "-1 second")
    # WHEN the retry arrives
    result = invoke(obj.s3_event())
    # THEN it takes over and imports
    assert result["imports"][0]["status"] == "completed"
    assert db.execute("SELECT count(*) FROM users").fetchone() == (2000,)
    [row] = ledger()
    assert (row["status"], row["attempts"], row["inserted"]) == ("completed", 2, 2000)


def test_claim_lives_for_the_given_time_and_release_frees_it(db: Any, ledger: Any) -> None:
    from sample_event.daos import ledger as ledger_dao
    from sample_event.models import ObjectRef

    ref = ObjectRef("some-bucket", "imports/a.csv", "v1", "e1")
    first, second = "6b1c0f0e-0000-4000-8000-000000000003", "6b1c0f0e-0000-4000-8000-000000000004"
    # GIVEN a claim for the run's remaining time (90 s)
    assert ledger_dao.claim(db, ref, first, expiry_ms=90_000)
    seconds = db.execute("SELECT extract(epoch FROM claimed_until - now()) FROM imports").fetchone()
    assert seconds is not None and 85 < float(seconds[0]) <= 90
    # THEN another run cannot take it while it lives, and can once it is released
    assert not ledger_dao.claim(db, ref, second, expiry_ms=90_000)
    ledger_dao.release(db, ref, first, "retrying after test")
    assert ledger_dao.claim(db, ref, second, expiry_ms=90_000)
    [row] = ledger()
    assert (row["status"], row["attempts"], row["claim_alive"]) == ("in_progress", 2, True)


def test_delivery_during_a_long_import_does_not_wait_for_its_lock(
    upload: Any,
    invoke: Any,
    db: Any,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    fresh_function_connection: None,
) -> None:
    # GIVEN a running import: a live claim whose row its open transaction has locked
    obj = upload(BODY)
    _claimed_by_another_run(db, obj, "5 minutes")
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", "300")  # shorter than the import holds it
    with psycopg.connect(database_url) as running:
        running.execute("SELECT 1 FROM imports FOR UPDATE")
        # WHEN the event is delivered again meanwhile, THEN it is a duplicate at once
        # (it used to wait on the lock until its statement timeout and fail)
        result = invoke(obj.s3_event())
    assert result["imports"][0]["status"] == "duplicate-delivery"
