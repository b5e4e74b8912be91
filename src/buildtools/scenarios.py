"""What the executed check sends each function, and what it expects back: its cases in events/.

Each case is checked against its expectation file (events/README.md): the answer, and the row
counts it leaves in the database. A case's `upload` file is put wherever its event names an S3
object (directly, or wrapped by SQS, SNS or EventBridge) just before the event is sent, and the
event is given that object's real ETag and version id.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

import psycopg
from psycopg import sql

from localcloud.emulator import create_bucket

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from stackspec import Function
    from stackspec.events import Case


def where(case: Case) -> str:
    """The case's file, as the repository names it."""
    return f"events/{case.path.parent.name}/{case.path.name}"


def handler_call(function: Function, event: Any) -> dict[str, Any]:
    """The runner's call of the function's handler, with a context carrying its settings."""
    module, _, attribute = function.handler.rpartition(".")
    context = {
        "function_name": function.name,
        "memory": function.memory,
        "timeout": function.timeout,
    }
    return {"target": f"{module}:{attribute}", "args": [event], "context": context}


def groups(cases: list[Case]) -> list[list[Case]]:
    """The cases in groups: each group starts on an emptied database and sees only its own.

    A case shares its group with the cases it names in `after` (and with those that name it);
    every other case starts afresh, so its expectation holds whatever the other cases do. The
    order of `cases` is kept within each group.
    """
    linked = {case.name: {case.name} for case in cases}
    for case in cases:
        for name in case.after:
            merged = linked[case.name] | linked[name]
            for member in merged:
                linked[member] = merged
    found: dict[frozenset[str], list[Case]] = {}
    for case in cases:
        found.setdefault(frozenset(linked[case.name]), []).append(case)
    return list(found.values())


def sessions(cases: list[Case]) -> list[list[list[Case]]]:
    """The groups by interpreter: the migrated ones share one, each empty one has its own.

    Groups on a migrated database share an interpreter and a database emptied between them,
    as a warm function sees one event after another; a group on an empty database gets its own
    (emptying tables cannot undo a migration).
    """
    found = groups(cases)
    migrated = [group for group in found if not group[0].empty_database]
    empty = [[group] for group in found if group[0].empty_database]
    return ([migrated] if migrated else []) + empty


def misplaced(group: list[Case]) -> list[str]:
    """Cases that want an empty database but find the one the cases before them used."""
    return [
        f"{where(case)}: wants an empty database, but runs after {group[0].name!r}"
        for case in group[1:]
        if case.empty_database and not group[0].empty_database
    ]


def answer_problem(case: Case, result: dict[str, Any]) -> str | None:
    """Why the case's answer is wrong (it raised, or it differs from the expectation)."""
    if not result["ok"]:
        return f"{where(case)} raised {result['error']}\n{result['trace']}"
    mismatch = case.mismatch(result["value"])
    return f"{where(case)}: {mismatch}" if mismatch else None


def rows_problems(case: Case, database_url: str) -> list[str]:
    """The tables whose row count after the case is not the one its expectation gives."""
    problems = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        for table, expected in case.rows.items():
            try:
                row = conn.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                ).fetchone()
            except psycopg.errors.UndefinedTable:
                problems.append(f"{where(case)}: no table {table!r} to count after it")
                continue
            count = row[0] if row else 0
            if count != expected:
                problems.append(
                    f"{where(case)}: {table} holds {count} row(s) after it, expected {expected}"
                )
    return problems


def prepared_event(case: Case, s3: S3Client) -> Any:
    """A copy of the case's event, its `upload` made wherever the event points."""
    event = copy.deepcopy(case.event)
    if case.upload is None:
        return event
    # `upload` names a file of the repository the events/ folder belongs to.
    return prepare_event(event, s3, (case.path.parents[2] / case.upload).read_bytes())


def prepare_event(node: Any, s3: S3Client, body: bytes) -> Any:
    """Upload body to every object the event describes (S3, SQS, SNS or EventBridge shape).

    Edits the object descriptions in place (size, ETag and version id) and re-encodes the JSON
    strings that SQS bodies and SNS messages wrap them in. Returns the event.
    """
    if isinstance(node, list):
        for item in node:
            prepare_event(item, s3, body)
    elif isinstance(node, dict):
        if isinstance(node.get("bucket"), dict) and isinstance(node.get("object"), dict):
            _upload(s3, node, body)
        for field_name, value in node.items():
            if field_name in ("body", "Message") and isinstance(value, str) and value[:1] == "{":
                node[field_name] = json.dumps(prepare_event(json.loads(value), s3, body))
            else:
                prepare_event(value, s3, body)
    return node


def _upload(s3: S3Client, obj: dict[str, Any], body: bytes) -> None:
    bucket = obj["bucket"]["name"]
    create_bucket(s3, bucket)  # versioned, as the deployed bucket is
    put = s3.put_object(Bucket=bucket, Key=unquote_plus(obj["object"]["key"]), Body=body)
    described = obj["object"]
    # S3 notifications spell it eTag, EventBridge's Object Created events etag.
    etag_field = "etag" if "etag" in described else "eTag"
    described.update({"size": len(body), etag_field: put["ETag"].strip('"')})
    for version_field in ("versionId", "version-id"):
        if version_field in described:
            described[version_field] = put.get("VersionId", "null")
