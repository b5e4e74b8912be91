"""Every event shape reaches the same import; keys are decoded; other keys are ignored."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.events import EVENTS_DIR, load_event
from tests.sample_event.conftest import sqs_event

BODY = "name,email\nAda Example,ada@example.com\n"
SHAPE_FILES = {"s3", "sqs", "sns", "eventbridge"}
SAMPLE_CSV = Path(__file__).resolve().parents[2] / "sample_users.csv"


def _sns(payload: dict[str, Any]) -> dict[str, Any]:
    event = load_event("sns_s3_object_created")
    event["Records"][0]["Sns"]["Message"] = json.dumps(payload)
    return event


def _sns_envelope(payload: dict[str, Any]) -> dict[str, Any]:
    envelope = json.loads(load_event("sqs_sns_s3_object_created")["Records"][0]["body"])
    envelope["Message"] = json.dumps(payload)
    return envelope


def _eventbridge(obj: Any) -> dict[str, Any]:
    event = load_event("eventbridge_s3_object_created")
    event["detail"]["bucket"]["name"] = obj.bucket
    event["detail"]["object"].update(key=obj.key, etag=obj.etag, **{"version-id": obj.version_id})
    return event


SHAPES = {
    "s3": lambda obj: obj.s3_event(),
    "sns": lambda obj: _sns(obj.s3_event()),
    "eventbridge": _eventbridge,
    "sqs": lambda obj: sqs_event(obj.s3_event()),
    "sqs+sns": lambda obj: sqs_event(_sns_envelope(obj.s3_event())),
    "sqs+eventbridge": lambda obj: sqs_event(_eventbridge(obj)),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_event_shape_imports_the_object(
    shape: str, upload: Any, invoke: Any, users: Any, ledger: Any
) -> None:
    obj = upload(BODY)
    result = invoke(SHAPES[shape](obj))
    assert users() == [("Ada Example", "ada@example.com")]
    assert [(r["status"], r["object_version"]) for r in ledger()] == [("completed", obj.version_id)]
    if shape.startswith("sqs"):
        assert result == {"batchItemFailures": []}


def test_url_encoded_key_is_decoded(
    upload: Any, invoke: Any, users: Any, ledger: Any, report: Any
) -> None:
    # GIVEN a key with spaces, a plus sign and non-ASCII characters (S3 sends it encoded)
    key = "imports/team a+b/Zoë 日本.csv"
    obj = upload(BODY, key)
    event = obj.s3_event()
    assert event["Records"][0]["s3"]["object"]["key"] == (
        "imports/team+a%2Bb/Zo%C3%AB+%E6%97%A5%E6%9C%AC.csv"
    )
    invoke(event)
    assert users() == [("Ada Example", "ada@example.com")]
    assert [r["object_key"] for r in ledger()] == [key]
    assert report(obj.bucket, "reports/team a+b/Zoë 日本.csv.json")["status"] == "completed"


@pytest.mark.parametrize(
    "key",
    [
        "users.csv",
        "reports/users.csv",
        "imports/users.txt",
        "imports/users.csv.json",
        "importsx.csv",
    ],
)
def test_keys_outside_imports_or_not_csv_are_ignored(
    key: str, upload: Any, invoke: Any, users: Any, ledger: Any
) -> None:
    obj = upload(BODY, key)
    assert invoke(obj.s3_event()) == {"imports": []}
    assert users() == []
    assert ledger() == []


@pytest.mark.parametrize("name", ["s3_test_event", "sqs_s3_test_event"])
def test_s3_test_events_are_ignored(name: str, invoke: Any, users: Any, ledger: Any) -> None:
    result = invoke(load_event(name))
    assert result in ({"imports": []}, {"batchItemFailures": []})
    assert users() == []
    assert ledger() == []


def test_object_removed_records_are_ignored(upload: Any, invoke: Any, ledger: Any) -> None:
    event = upload(BODY).s3_event()
    event["Records"][0]["eventName"] = "ObjectRemoved:Delete"
    assert invoke(event) == {"imports": []}
    assert ledger() == []


def test_unknown_event_shape_raises(invoke: Any, ledger: Any) -> None:
    from sample_event.errors import UnsupportedEventError

    with pytest.raises(UnsupportedEventError):
        invoke({"hello": "world"})
    assert ledger() == []


def test_shipped_events_name_the_shipped_sample_file() -> None:
    # The events carry no versionId and the ETag of sample_users.csv: they work against any
    # bucket holding that file (make invoke), versioned or not.
    etag = hashlib.md5(SAMPLE_CSV.read_bytes(), usedforsecurity=False).hexdigest()
    folder = EVENTS_DIR / "sample_event"
    cases = [p for p in folder.glob("*.json") if not p.name.endswith(".expected.json")]
    names = [p.stem for p in cases if p.stem.split("_")[0] in SHAPE_FILES]
    assert len(names) == 7
    for name in names:
        if "test_event" not in name:
            assert etag in json.dumps(load_event(name)), name


@pytest.mark.parametrize(
    "name",
    [
        "s3_object_created",
        "sqs_s3_object_created",
        "sqs_sns_s3_object_created",
        "sns_s3_object_created",
        "eventbridge_s3_object_created",
    ],
)
def test_shipped_events_import_the_sample_file_from_sample_bucket(
    name: str, s3_client: Any, invoke: Any, users: Any, ledger: Any
) -> None:
    # GIVEN sample_users.csv uploaded to sample-bucket, as the local cloud does
    if "sample-bucket" not in [b["Name"] for b in s3_client.list_buckets()["Buckets"]]:
        s3_client.create_bucket(Bucket="sample-bucket")
    s3_client.put_object(
        Bucket="sample-bucket", Key="imports/sample_users.csv", Body=SAMPLE_CSV.read_bytes()
    )
    # WHEN the shipped event is invoked as is
    invoke(load_event(name))
    # THEN every sample user is imported
    expected = SAMPLE_CSV.read_text(encoding="utf-8").count("\n") - 1
    assert len(users()) == expected == 30
    assert [r["status"] for r in ledger()] == ["completed"]


def test_shipped_events_use_the_documented_bucket_and_key() -> None:
    for name in ("s3_object_created", "sns_s3_object_created", "eventbridge_s3_object_created"):
        text = json.dumps(load_event(name))
        assert "sample-bucket" in text
        assert "imports/sample_users.csv" in text
