"""How the executed check groups cases and prepares the S3 objects their events name."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from buildtools.scenarios import groups, misplaced, prepare_event, sessions
from stackspec.events import load_case
from tests.fixtures.events import load_event

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_s3 import S3Client

    from stackspec.events import Case


def _cases(folder: Path, expectations: dict[str, dict[str, object]]) -> list[Case]:
    found = []
    for name, expected in expectations.items():
        (folder / f"{name}.json").write_text("{}", encoding="utf-8")
        (folder / f"{name}.expected.json").write_text(json.dumps(expected), encoding="utf-8")
        found.append(load_case(folder / f"{name}.json"))
    return found


def test_a_case_shares_its_run_only_with_the_cases_it_runs_after(tmp_path: Path) -> None:
    # GIVEN a case that needs another first, and two that need nothing
    found = _cases(
        tmp_path,
        {"alone": {}, "create": {}, "read": {"after": ["create"]}, "other": {}},
    )
    # WHEN grouped THEN the linked pair shares a group, in order; the others are alone
    assert [[case.name for case in group] for group in groups(found)] == [
        ["alone"],
        ["create", "read"],
        ["other"],
    ]


def test_groups_on_a_migrated_database_share_an_interpreter_and_empty_ones_do_not(
    tmp_path: Path,
) -> None:
    found = _cases(
        tmp_path,
        {"a": {}, "migrate": {"database": "empty"}, "b": {}, "again": {"database": "empty"}},
    )
    names = [[[case.name for case in group] for group in session] for session in sessions(found)]
    assert names == [[["a"], ["b"]], [["migrate"]], [["again"]]]


def test_a_case_wanting_an_empty_database_after_another_is_reported(tmp_path: Path) -> None:
    found = _cases(tmp_path, {"seed": {}, "migrate": {"after": ["seed"], "database": "empty"}})
    [group] = groups(found)
    assert misplaced(group) == [
        "events/" + tmp_path.name + "/migrate.json: wants an empty database, but runs after 'seed'"
    ]


def test_an_sqs_wrapped_event_names_the_object_uploaded_for_it(
    s3_client: S3Client, bucket: str
) -> None:
    # GIVEN an S3 notification inside an SQS message body, naming a version that does not exist
    event = load_event("sqs_s3_object_created")
    body = json.loads(event["Records"][0]["body"])
    body["Records"][0]["s3"]["bucket"]["name"] = bucket
    body["Records"][0]["s3"]["object"]["versionId"] = "not-uploaded-yet"
    event["Records"][0]["body"] = json.dumps(body)
    # WHEN the check prepares it with a file to upload
    prepared = prepare_event(event, s3_client, b"name,email\nAda,ada@example.com\n")
    # THEN the object holds that file, and the event names its real version, ETag and size
    described = json.loads(prepared["Records"][0]["body"])["Records"][0]["s3"]["object"]
    key = described["key"]
    stored = s3_client.get_object(Bucket=bucket, Key=key, VersionId=described["versionId"])
    assert stored["Body"].read() == b"name,email\nAda,ada@example.com\n"
    assert described["eTag"] == stored["ETag"].strip('"')
    assert described["size"] == 31
