"""The importer's template agrees with its code: the notification filter and the bucket policy."""

from __future__ import annotations

import stackspec
from sample_event.services.reports import IMPORTS_PREFIX, REPORTS_PREFIX
from stackspec import QueueTrigger
from tests.deploy.templates import load

FUNCTION = stackspec.function("sample_event")


def test_notification_filter_is_the_prefix_the_importer_uses() -> None:
    trigger = FUNCTION.trigger(QueueTrigger)
    assert isinstance(trigger, QueueTrigger) and trigger.source is not None
    assert (trigger.source.prefix, trigger.source.suffix) == (IMPORTS_PREFIX, ".csv")


def test_import_function_reads_imports_and_writes_reports_only() -> None:
    template = load(FUNCTION.stack)["Resources"]
    role_id = template[FUNCTION.logical_id]["Properties"]["Role"]["Fn::GetAtt"][0]
    role = template[role_id]["Properties"]
    (policy,) = [p for p in role["Policies"] if p["PolicyName"] == "read-imports-write-reports"]
    by_action = {
        tuple(s["Action"]) if isinstance(s["Action"], list) else (s["Action"],): s["Resource"]
        for s in policy["PolicyDocument"]["Statement"]
    }
    get = by_action[("s3:GetObject", "s3:GetObjectVersion")]
    put = by_action[("s3:PutObject", "s3:AbortMultipartUpload")]
    assert get == {"Fn::Sub": f"${{ImportBucket.Arn}}/{IMPORTS_PREFIX}*"}
    assert put == {"Fn::Sub": f"${{ImportBucket.Arn}}/{REPORTS_PREFIX}*"}


def test_s3_action_scan_finds_the_importers_calls() -> None:
    # the scan itself: the importer's streaming report write and its abort
    from tests.deploy import s3_actions

    assert {"s3:GetObjectVersion", "s3:PutObject", "s3:AbortMultipartUpload"} <= (
        s3_actions.actions_needed(FUNCTION.name)
    )
