"""`make import STAGE=…`: the bucket from the deployed stack, the upload, the report's wait.

No importer runs in moto: the test plays its part, writing the report the way it does
(docs/events.md) while the command waits.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from opstools import imports
from opstools.stage import StageError
from stackspec.deployed import output_naming

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from opstools.stage import Stage


def deploy_bucket_stack(cfn: Any, stage: Stage, *, with_output: bool = True) -> None:
    """The importer's stack in moto, cut down to its bucket (and the output that names it)."""
    importer, source = stage.import_source()
    stack = next(s for s in stage.stacks() if s.name == importer.stack)
    assert source.logical_id
    template: dict[str, Any] = {"Resources": {source.logical_id: {"Type": "AWS::S3::Bucket"}}}
    output = output_naming(stack, source.logical_id)
    if with_output and output:
        template["Outputs"] = {output: {"Value": {"Ref": source.logical_id}}}
    cfn.create_stack(StackName=stage.stack_name(stack.name), TemplateBody=json.dumps(template))


def bucket_of(cfn: Any, stage: Stage) -> str:
    importer, source = stage.import_source()
    stack_name = stage.stack_name(importer.stack)
    resource = cfn.describe_stack_resource(
        StackName=stack_name, LogicalResourceId=source.logical_id
    )
    return str(resource["StackResourceDetail"]["PhysicalResourceId"])


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "team.csv"
    path.write_text("name,email\nAda,ada@example.com\n", encoding="utf-8")
    return path


def test_the_file_goes_to_the_bucket_the_stack_outputs_under_the_declared_prefix(
    aws: Callable[[str], Any], stage: Stage, csv_file: Path
) -> None:
    cfn = aws("cloudformation")
    deploy_bucket_stack(cfn, stage)
    target = imports.destination(stage, cfn, csv_file, None)
    _, source = stage.import_source()
    assert target == imports.Upload(bucket_of(cfn, stage), source.prefix + csv_file.name)


def test_without_an_output_the_bucket_is_found_as_the_stacks_resource(
    aws: Callable[[str], Any], stage: Stage, csv_file: Path
) -> None:
    cfn = aws("cloudformation")
    deploy_bucket_stack(cfn, stage, with_output=False)
    assert imports.destination(stage, cfn, csv_file, None).bucket == bucket_of(cfn, stage)


def test_a_stage_not_deployed_or_a_file_not_imported_is_refused(
    aws: Callable[[str], Any], stage: Stage, csv_file: Path, tmp_path: Path
) -> None:
    cfn = aws("cloudformation")
    with pytest.raises(StageError, match="not deployed"):
        imports.destination(stage, cfn, csv_file, None)
    deploy_bucket_stack(cfn, stage)
    with pytest.raises(ValueError, match=r"only \.csv files"):
        imports.destination(stage, cfn, tmp_path / "team.xlsx", None)


def _importer(s3: Any, target: imports.Upload, **report: Any) -> Callable[[float], None]:
    """A `sleep` that writes the report of the uploaded version, as the importer would."""

    def write(_: float) -> None:
        head = s3.head_object(Bucket=target.bucket, Key=target.key)
        version = head.get("VersionId") or head["ETag"].strip('"')
        document = {"bucket": target.bucket, "key": target.key, "version": version, **report}
        name = "reports/" + target.key.split("/", 1)[1] + ".json"
        s3.put_object(Bucket=target.bucket, Key=name, Body=json.dumps(document).encode())

    return write


REPORT = {"import_id": "a8098c1a", "rows_read": 1, "duplicates": 0, "rejected": 0}


@pytest.mark.parametrize(("status", "exit_status"), [("completed", 0), ("failed", 1)])
def test_the_report_of_the_upload_is_printed_and_a_failed_import_exits_non_zero(
    aws: Callable[[str], Any],
    stage: Stage,
    csv_file: Path,
    capsys: pytest.CaptureFixture[str],
    status: str,
    exit_status: int,
) -> None:
    # GIVEN a deployed bucket, and an importer that reports the upload
    cfn, s3 = aws("cloudformation"), aws("s3")
    deploy_bucket_stack(cfn, stage)
    target = imports.destination(stage, cfn, csv_file, None)
    importer = _importer(s3, target, status=status, inserted=int(status == "completed"))
    said: list[str] = []
    # WHEN the file is imported
    report = imports.run(s3, target, csv_file, timeout=60, say=said.append, sleep=importer)
    # THEN the report comes back, is printed, and gives the exit status and the logs command
    assert report is not None
    assert imports.outcome({**REPORT, **report}, stage, said.append) == exit_status
    assert f"{target.key}: {status}" in capsys.readouterr().out
    assert f"make logs STAGE={stage.name} ID=a8098c1a" in said[-1]
    assert s3.get_object(Bucket=target.bucket, Key=target.key)["Body"].read() == (
        csv_file.read_bytes()
    )


def test_a_report_of_an_earlier_upload_is_not_taken_for_this_one(
    aws: Callable[[str], Any], stage: Stage, csv_file: Path
) -> None:
    # GIVEN the report of another version of the same key
    cfn, s3 = aws("cloudformation"), aws("s3")
    deploy_bucket_stack(cfn, stage)
    target = imports.destination(stage, cfn, csv_file, None)
    name = "reports/" + target.key.split("/", 1)[1] + ".json"
    stale = {"version": "an-earlier-version", "status": "completed"}
    s3.put_object(Bucket=target.bucket, Key=name, Body=json.dumps(stale).encode())
    said: list[str] = []
    # WHEN the file is imported and nothing reports it in time
    report = imports.run(s3, target, csv_file, timeout=0, say=said.append, sleep=lambda _: None)
    # THEN the wait ends, bounded, and says which report it waited for
    assert report is None
    assert f"no report at s3://{target.bucket}/{name}" in said[-1]
