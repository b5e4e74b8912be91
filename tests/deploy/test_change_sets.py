"""`make deploy` updates through a change set it reads first, and refuses to lose data.

Against moto where it behaves like CloudFormation (a change set is created, described,
deleted or executed; a removed queue is gone), and against a stubbed client, with responses
shaped as AWS gives them, where it does not: AWS makes a change set asynchronously, pages its
changes, and reports "no changes" as a FAILED change set, which moto does not.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import pytest

from deploytools import changesets, stackdeploy
from tests.deploy.templates import load
from tests.deploy.test_changes import recorded

if TYPE_CHECKING:
    from collections.abc import Iterator

STACK = "lambda-stack-prod-s3-lambda"
ARN = recorded("imports-queue-renamed")["ChangeSetId"]
KEPT = {
    "Resources": {
        "Inbox": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "inbox"}},
        "Notices": {"Type": "AWS::SNS::Topic"},
    }
}
WITHOUT_THE_QUEUE = {"Resources": {"Notices": KEPT["Resources"]["Notices"]}}


@pytest.fixture
def aws() -> Iterator[dict[str, Any]]:
    """moto's CloudFormation and SQS, in a region of their own."""
    import boto3
    from moto import mock_aws

    saved = os.environ.pop("AWS_ENDPOINT_URL_SQS", None)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield {
            name: boto3.client(name, region_name="eu-west-1") for name in ("cloudformation", "sqs")
        }
    if saved is not None:
        os.environ["AWS_ENDPOINT_URL_SQS"] = saved


def queues(aws: dict[str, Any]) -> list[str]:
    return list(aws["sqs"].list_queues().get("QueueUrls", []))


def test_deploy_refuses_a_change_set_that_removes_a_queue_and_changes_nothing(
    aws: dict[str, Any],
) -> None:
    # GIVEN a deployed stack with a queue
    cfn, said = aws["cloudformation"], []
    stackdeploy.apply(cfn, "st", KEPT, {}, {}, said.append)
    # WHEN a template without the queue is deployed
    with pytest.raises(stackdeploy.ReplacementRefusedError) as refused:
        stackdeploy.apply(cfn, "st", WITHOUT_THE_QUEUE, {}, {}, said.append)
    # THEN it says what and how to allow it, and the queue and the stack are as they were
    assert "Remove Inbox (AWS::SQS::Queue)" in str(refused.value)
    assert "ALLOW_REPLACE=1" in str(refused.value)
    assert "  !! Remove   Inbox    AWS::SQS::Queue" in said
    assert len(queues(aws)) == 1
    assert cfn.list_change_sets(StackName="st")["Summaries"] == []


def test_allow_replace_executes_the_change_set_that_was_read(aws: dict[str, Any]) -> None:
    cfn, said = aws["cloudformation"], []
    stackdeploy.apply(cfn, "st", KEPT, {}, {}, said.append)
    stackdeploy.apply(cfn, "st", WITHOUT_THE_QUEUE, {}, {}, said.append, allow_replace=True)
    assert queues(aws) == []
    (executed,) = cfn.list_change_sets(StackName="st")["Summaries"]
    assert executed["ExecutionStatus"] == "EXECUTE_COMPLETE"
    assert executed["ChangeSetName"].startswith("deploytools-deploy-")


def test_an_update_without_changes_executes_nothing(aws: dict[str, Any]) -> None:
    cfn, said = aws["cloudformation"], []
    stackdeploy.apply(cfn, "st", KEPT, {}, {}, said.append)
    stackdeploy.apply(cfn, "st", KEPT, {}, {}, said.append)
    assert said[-1] == "st: no changes"
    assert cfn.list_change_sets(StackName="st")["Summaries"] == []


def stubbed() -> tuple[Any, Any]:
    """A real CloudFormation client whose answers are given (botocore's Stubber)."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client(
        "cloudformation",
        region_name="eu-west-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",  # noqa: S106 - not a secret
    )
    return client, Stubber(client)


def status(value: str, reason: str = "") -> dict[str, Any]:
    answer = {"ChangeSetId": ARN, "StackName": STACK, "Status": value}
    return {**answer, "StatusReason": reason} if reason else answer


def test_a_change_set_is_waited_for_and_read_across_its_pages() -> None:
    # GIVEN CloudFormation making the change set in its own time, then giving it in two pages
    client, stub = stubbed()
    from botocore.stub import ANY

    stub.add_response(
        "create_change_set",
        {"Id": ARN, "StackId": recorded("imports-queue-renamed")["StackId"]},
        {
            "StackName": STACK, "ChangeSetName": ANY, "ChangeSetType": "UPDATE",
            "TemplateBody": ANY, "Capabilities": ["CAPABILITY_IAM"],
            "Parameters": [{"ParameterKey": "Stage", "ParameterValue": "prod"}],
            "Description": "deploytools deploy",
        },
    )  # fmt: skip
    stub.add_response("describe_change_set", status("CREATE_PENDING"))
    stub.add_response("describe_change_set", status("CREATE_IN_PROGRESS"))
    stub.add_response("describe_change_set", recorded("imports-queue-renamed"))
    stub.add_response("get_template", {"TemplateBody": json.dumps(load("s3-lambda"))})
    stub.add_response("describe_change_set", recorded("imports-queue-renamed"))
    stub.add_response(
        "describe_change_set",
        recorded("imports-queue-renamed.page-2"),
        {"ChangeSetName": ARN, "StackName": STACK, "NextToken": "page-2"},
    )
    pauses: list[float] = []
    # WHEN it is created
    with stub:
        found = changesets.create(
            client, STACK, load("s3-lambda"), {"Stage": "prod"},
            kind="UPDATE", purpose="deploy", sleep=pauses.append,
        )  # fmt: skip
    # THEN every change of both pages is there, classified, after a pause per pending answer
    assert found is not None and found.arn == ARN
    assert [c.logical_id for c in found.changes if c.refused] == [
        "ImportQueue",
        "ImportDeadLetterQueue",
    ]
    assert len(found.changes) == 6
    assert len(pauses) == 2


@pytest.mark.parametrize(
    ("reason", "outcome"),
    [
        (
            "The submitted information didn't contain changes. Submit different information to "
            "create a change set.",
            None,
        ),
        (
            "Template format error: Unresolved resource dependencies [ImportDeadLetterQueue] in "
            "the Resources block of the template",
            changesets.ChangeSetError,
        ),
    ],
)
def test_a_failed_change_set_is_deleted_and_says_why(
    reason: str, outcome: type[Exception] | None
) -> None:
    # GIVEN CloudFormation failing the change set (AWS keeps a failed one until deleted)
    client, stub = stubbed()
    stub.add_response("create_change_set", {"Id": ARN, "StackId": "stack"})
    stub.add_response("describe_change_set", status("FAILED", reason))
    stub.add_response("delete_change_set", {}, {"ChangeSetName": ARN, "StackName": STACK})
    with stub:
        if outcome is None:
            # WHEN it held no change THEN there is nothing to do
            assert (
                changesets.create(client, STACK, KEPT, {}, kind="UPDATE", purpose="deploy") is None
            )
        else:
            # WHEN it could not be made THEN the error carries CloudFormation's reason
            with pytest.raises(outcome, match="Unresolved resource dependencies"):
                changesets.create(client, STACK, KEPT, {}, kind="UPDATE", purpose="deploy")
        stub.assert_no_pending_responses()


def test_deploy_says_the_drift_and_puts_the_stage_files_value_back(aws: dict[str, Any]) -> None:
    # GIVEN a stack whose deployed value (changed by hand, say) is not the stage file's
    body = {
        "Parameters": {"Level": {"Type": "String"}},
        "Resources": {
            "Inbox": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"Tags": [{"Key": "level", "Value": {"Ref": "Level"}}]},
            }
        },
    }
    cfn, said = aws["cloudformation"], []
    stackdeploy.apply(cfn, "st", body, {"Level": "DEBUG"}, {"Level": "DEBUG"}, said.append)
    # WHEN the stage is deployed with its file's value
    stackdeploy.apply(cfn, "st", body, {"Level": "INFO"}, {"Level": "INFO"}, said.append)
    # THEN the drift was said before the update, and the stack has the file's value again
    assert said[1:3] == ["st: drift, deployed -> stage file:", "  Level  DEBUG -> INFO"]
    stack = cfn.describe_stacks(StackName="st")["Stacks"][0]
    assert stack["Parameters"] == [{"ParameterKey": "Level", "ParameterValue": "INFO"}]
