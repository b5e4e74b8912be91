"""Change sets classified and printed, on DescribeChangeSet responses shaped as AWS gives them.

moto's change sets carry no Replacement, no Details and no PolicyAction, and know no Dynamic
action: the responses under tests/deploy/changesets/ do (written from the API reference, since
no AWS account runs here), one per case the deploy must tell apart.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from deploytools import changes
from tests.deploy.templates import ROOT, load

RECORDED = ROOT / "tests" / "deploy" / "changesets"


def recorded(name: str) -> dict[str, Any]:
    """A recorded DescribeChangeSet response (its `_what` says what changed)."""
    found: dict[str, Any] = json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))
    found.pop("_what")
    return found


def by_id(found: list[changes.Change]) -> dict[str, changes.Change]:
    return {change.logical_id: change for change in found}


def test_a_database_replaced_by_a_parameter_is_flagged_with_its_cause_and_refused() -> None:
    # GIVEN DatabaseName changed and the proxy turned on, in the db stack
    found = by_id(changes.classify(recorded("db-renamed-with-proxy")["Changes"], [load("db")]))
    # THEN the database is a replacement, with the property and the parameter behind it
    database = found["Database"]
    assert (database.action, database.replacement) == ("Modify", "True")
    assert database.causes == ("DBName from parameter DatabaseName",)
    assert database.policy == "ReplaceAndSnapshot"
    assert database.stateful and database.refused
    # and the proxy's resources are plain additions
    assert not any(found[name].refused or found[name].stateful for name in ("Proxy", "ProxyRole"))
    refusal = changes.refusal("lambda-stack-prod-db", list(found.values()))
    assert refusal == (
        "lambda-stack-prod-db would replace or remove resources that hold data: "
        "Modify Database (AWS::RDS::DBInstance, Replacement: True)"
    )


def import_changes() -> list[changes.Change]:
    pages = [recorded("imports-queue-renamed"), recorded("imports-queue-renamed.page-2")]
    return changes.classify([c for page in pages for c in page["Changes"]], [load("s3-lambda")])


def test_each_change_prints_its_action_replacement_and_whether_it_holds_data() -> None:
    assert changes.lines(import_changes()) == [
        "  !! Modify   ImportQueue            AWS::SQS::Queue                  "
        "Replacement: True (QueueName); policy: ReplaceAndDelete",
        "  !! Remove   ImportDeadLetterQueue  AWS::SQS::Queue                  policy: Delete",
        "     Modify   ImportTrigger          AWS::Lambda::EventSourceMapping  "
        "Replacement: Conditional (EventSourceArn)",
        "   ! Modify   ImportBucket           AWS::S3::Bucket                  Replacement: False",
        "     Modify   ImportQueuePolicy      AWS::SQS::QueuePolicy            Replacement: False",
        "     Dynamic  ImportFunction         AWS::Lambda::Function            "
        "decided at execution",
        f"  {changes.LEGEND}",
    ]


def test_only_replacing_or_removing_what_holds_data_is_refused() -> None:
    refused = {c.logical_id for c in import_changes() if c.refused}
    # the queue replaced and the dead-letter queue removed; not the bucket modified in place,
    # nor the mapping and the function, which hold no data whatever happens to them
    assert refused == {"ImportQueue", "ImportDeadLetterQueue"}


def test_resources_hold_data_by_their_type_or_their_policy_never_by_their_name() -> None:
    body = {
        "Resources": {
            "Cache": {"Type": "AWS::DynamoDB::Table"},
            "DatabaseSecurityGroup": {"Type": "AWS::EC2::SecurityGroup"},
            "Archive": {"Type": "AWS::SNS::Topic", "DeletionPolicy": "Retain"},
            "Snapshot": {"Type": "AWS::EC2::Volume", "UpdateReplacePolicy": "Snapshot"},
            "Gone": {"Type": "AWS::EC2::Volume", "DeletionPolicy": "Delete"},
        }
    }
    assert changes.stateful([body]) == {
        "Cache": "AWS::DynamoDB::Table",
        "Archive": "AWS::SNS::Topic",
        "Snapshot": "AWS::EC2::Volume",
    }


def test_every_stateful_resource_of_the_templates_is_one_the_deploy_guards() -> None:
    # the database, the buckets, the table, the queues and the log groups of the stacks
    kinds = {
        kind for name in ("db", "s3-lambda", "dynamodb-lambda", "apigateway-lambda")
        for kind in changes.stateful([load(name)]).values()
    }  # fmt: skip
    assert {
        "AWS::RDS::DBInstance",
        "AWS::S3::Bucket",
        "AWS::DynamoDB::Table",
        "AWS::SQS::Queue",
        "AWS::Logs::LogGroup",
    } <= kinds


@pytest.mark.parametrize(
    ("action", "replacement", "refused"),
    [
        ("Modify", "True", True),
        ("Modify", "Conditional", True),  # may be replaced: known only at execution
        ("Dynamic", "", True),  # the action itself is known only at execution
        ("Remove", "", True),
        ("Modify", "False", False),
        ("Add", "", False),
        ("Import", "", False),
        ("SyncWithActual", "", False),
    ],
)
def test_what_is_refused_for_a_resource_that_holds_data(
    action: str, replacement: str, refused: bool
) -> None:
    change = changes.Change(action, "Table", "AWS::DynamoDB::Table", replacement, stateful=True)
    assert change.refused is refused
    assert not changes.Change(action, "Role", "AWS::IAM::Role", replacement).refused
