"""What the executed check sends to each function, and what it expects back.

The events come from events/: API Gateway events go to sample_api, S3 notifications (direct or
wrapped by SQS, SNS or EventBridge) to sample_event. Before an S3 event is sent, a small CSV is
uploaded where it points and the event is given that object's real version and ETag.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, unquote_plus

import psycopg

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from mypy_boto3_s3 import S3Client

HANDLER = "index:handler"


@dataclass
class Scenario:
    """Calls for one function and a check of the run's results (empty list: all good)."""

    function: str
    calls: list[dict[str, Any]] = field(default_factory=list)
    checks: list[Callable[[dict[str, Any]], str | None]] = field(default_factory=list)


def load_events(directory: Path) -> dict[str, dict[str, Any]]:
    """Every events/*.json by stem."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.json"))
    }


def api_scenario(events: dict[str, dict[str, Any]]) -> Scenario:
    """POSTs first (on an empty table), then the GETs; each must answer 201 or 200 with JSON."""
    scenario = Scenario("sample_api")
    api = {name: event for name, event in events.items() if "httpMethod" in event}
    for name in sorted(api, key=lambda name: (api[name]["httpMethod"] != "POST", name)):
        expected = 201 if api[name]["httpMethod"] == "POST" else 200
        scenario.calls.append(_handler_call("sample_api", api[name]))
        scenario.checks.append(_status_check(len(scenario.calls) - 1, name, expected))
    return scenario


def event_scenario(events: dict[str, dict[str, Any]], s3: S3Client, database_url: str) -> Scenario:
    """Each other event, pointed at a CSV of one new user uploaded for it alone.

    Each event gets its own key (the event's, suffixed with the event's name) so that one
    upload never replaces the object another event describes.
    """
    scenario = Scenario("sample_event")
    everything: list[str] = []
    for name, event in events.items():
        if "httpMethod" in event:
            continue
        uploaded: list[str] = []
        prepared = prepare_event(copy.deepcopy(event), s3, name, uploaded)
        scenario.calls.append(_handler_call("sample_event", prepared))
        scenario.checks.append(_no_failure_check(len(scenario.calls) - 1, name))
        scenario.checks.append(_imported_check(database_url, name, uploaded))
        everything.extend(uploaded)
    if not everything:
        scenario.checks.append(lambda _report: "no event in events/ points at an imports/*.csv")
    return scenario


def migrator_scenario() -> Scenario:
    """The migrations function, with yoyo from its zip, migrates an empty database."""
    scenario = Scenario("migrator")
    scenario.calls.append(_handler_call("migrator", {}))

    def check(report: dict[str, Any]) -> str | None:
        result = report["results"][0]
        if not result["ok"]:
            return f"migrator.index.handler raised {result['error']}\n{result['trace']}"
        value = result["value"]
        applied = value.get("applied") if isinstance(value, dict) else None
        return None if applied else f"applied no migration to an empty database: {value}"

    scenario.checks.append(check)
    return scenario


def _handler_call(function: str, event: dict[str, Any]) -> dict[str, Any]:
    return {"target": f"{function}.{HANDLER}", "args": [event], "context": function}


def _status_check(index: int, name: str, expected: int) -> Callable[[dict[str, Any]], str | None]:
    def check(report: dict[str, Any]) -> str | None:
        result = report["results"][index]
        if not result["ok"]:
            return f"events/{name}.json raised {result['error']}\n{result['trace']}"
        response = result["value"]
        if not isinstance(response, dict) or response.get("statusCode") != expected:
            status = response.get("statusCode") if isinstance(response, dict) else response
            return f"events/{name}.json answered {status}, expected {expected}: {response}"
        try:
            json.loads(response.get("body") or "")
        except ValueError:
            return f"events/{name}.json answered a body that is not JSON: {response.get('body')!r}"
        return None

    return check


def _no_failure_check(index: int, name: str) -> Callable[[dict[str, Any]], str | None]:
    def check(report: dict[str, Any]) -> str | None:
        result = report["results"][index]
        if not result["ok"]:
            return f"events/{name}.json raised {result['error']}\n{result['trace']}"
        value = result["value"]
        if isinstance(value, dict) and value.get("batchItemFailures"):
            return f"events/{name}.json reported failed records: {value['batchItemFailures']}"
        return None

    return check


def _imported_check(
    database_url: str, name: str, emails: list[str]
) -> Callable[[dict[str, Any]], str | None]:
    def check(report: dict[str, Any]) -> str | None:
        with psycopg.connect(database_url) as conn:
            found = conn.execute("SELECT count(*) FROM users WHERE email = ANY(%s)", [emails])
            row = found.fetchone()
        imported = row[0] if row else 0
        if imported != len(emails):
            return f"events/{name}.json imported {imported} of the {len(emails)} user(s) uploaded"
        return None

    return check


def prepare_event(node: Any, s3: S3Client, label: str, uploaded: list[str]) -> Any:
    """Upload an object wherever the event describes one (S3, SQS, SNS or EventBridge shape).

    Edits the object descriptions in place (real key, ETag and version id) and re-encodes the
    JSON strings that SQS bodies and SNS messages wrap them in.
    """
    if isinstance(node, list):
        for item in node:
            prepare_event(item, s3, label, uploaded)
    elif isinstance(node, dict):
        if isinstance(node.get("bucket"), dict) and isinstance(node.get("object"), dict):
            _upload(s3, node, label, uploaded)
        for field_name, value in node.items():
            if field_name in ("body", "Message") and isinstance(value, str) and value[:1] == "{":
                node[field_name] = json.dumps(prepare_event(json.loads(value), s3, label, uploaded))
            else:
                prepare_event(value, s3, label, uploaded)
    return node


def _upload(s3: S3Client, obj: dict[str, Any], label: str, uploaded: list[str]) -> None:
    bucket = obj["bucket"]["name"]
    stem, dot, suffix = unquote_plus(obj["object"]["key"]).rpartition(".")
    key = f"{stem}-{label}{dot}{suffix}" if dot else f"{suffix}-{label}"
    obj["object"]["key"] = quote_plus(key, safe="/")
    if bucket not in {entry["Name"] for entry in s3.list_buckets().get("Buckets", [])}:
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    email = f"verify-{uuid.uuid4().hex[:12]}@example.com"
    body = f"name,email\nVerify User,{email}\n".encode()
    if key.startswith("imports/") and key.endswith(".csv"):
        uploaded.append(email)
    put = s3.put_object(Bucket=bucket, Key=key, Body=body)
    described = obj["object"]
    # S3 notifications spell it eTag, EventBridge's Object Created events etag.
    etag_field = "etag" if "etag" in described else "eTag"
    described.update({"size": len(body), etag_field: put["ETag"].strip('"')})
    for version_field in ("versionId", "version-id"):
        if version_field in described:
            described[version_field] = put.get("VersionId", "null")
