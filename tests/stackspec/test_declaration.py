"""The templates are the declaration: what the tooling reads from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import stackspec
from stackspec import ApiTrigger, QueueTrigger
from stackspec.events import cases, load_case

if TYPE_CHECKING:
    from pathlib import Path


def test_stacks_come_in_the_order_their_exports_and_outputs_are_needed() -> None:
    # GIVEN the project's templates WHEN they are read THEN each comes after what it uses
    stacks = stackspec.load_stacks()
    position = {stack.name: index for index, stack in enumerate(stacks)}
    for stack in stacks:
        for other in stacks:
            if set(stack.needs) & set(other.outputs) and other is not stack:
                assert position[other.name] < position[stack.name], (stack.name, other.name)


def test_every_function_is_named_after_its_package_and_has_its_code_parameter() -> None:
    for function in stackspec.functions():
        assert function.handler.startswith(f"{function.name}.")
        stack = next(s for s in stackspec.load_stacks() if s.name == function.stack)
        assert function.code_parameter in stack.parameters
        assert (stackspec.TEMPLATES.parents[1] / "src" / function.name).is_dir()


def test_a_queue_trigger_carries_the_queue_settings_and_the_bucket_that_notifies_it() -> None:
    triggers = [t for f in stackspec.functions() for t in f.triggers if isinstance(t, QueueTrigger)]
    assert triggers, "the sample stack has an S3 -> SQS -> function path"
    with_bucket = [t for t in triggers if t.source is not None]
    assert with_bucket
    trigger = with_bucket[0]
    assert trigger.source is not None
    assert trigger.source.prefix and trigger.visibility_timeout > 0
    assert trigger.max_receive_count and trigger.dead_letter_queue


def test_api_paths_are_read_from_the_methods_integrated_with_the_function() -> None:
    paths = [
        t.paths for f in stackspec.functions() for t in f.triggers if isinstance(t, ApiTrigger)
    ]
    assert ("/", "/{proxy+}") in paths


def test_a_stack_cycle_is_reported_with_the_stacks_involved(tmp_path: Path) -> None:
    # GIVEN two templates that each take the other's output as a parameter
    for name, needs, gives in (("one", "B", "A"), ("two", "A", "B")):
        (tmp_path / f"{name}.yaml").write_text(
            f"Parameters:\n  {needs}:\n    Type: String\n"
            f"Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
            f"Outputs:\n  {gives}:\n    Value: !Ref Topic\n",
            encoding="utf-8",
        )
    # WHEN read THEN the error names them
    with pytest.raises(ValueError, match="one, two"):
        stackspec.load_stacks(tmp_path)


def test_every_function_has_sample_events_with_expectations() -> None:
    for function in stackspec.functions():
        found = cases(function)
        assert found, f"no events under {function.events}"
        assert all(case.response is not None for case in found), function.name


def test_a_case_runs_after_the_cases_it_names() -> None:
    names = [case.name for case in cases(stackspec.function("sample_api"))]
    assert names.index("post_user") < names.index("get_user")


def test_expectations_match_by_subset_and_say_where_they_differ(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text("{}", encoding="utf-8")
    (tmp_path / "c.expected.json").write_text(
        '{"response": {"statusCode": 200, "items": [{"id": 1}], "applied": "<non-empty>"}}',
        encoding="utf-8",
    )
    case = load_case(tmp_path / "c.json")
    good = {"statusCode": 200, "items": [{"id": 1, "name": "x"}], "applied": ["1"], "extra": 1}
    assert case.mismatch(good) is None
    assert case.mismatch({**good, "statusCode": 500}) == "response.statusCode is 500, expected 200"
    assert case.mismatch({**good, "items": []}) == "response.items is [], expected 1 item(s)"
    assert case.mismatch({**good, "applied": []}) == "response.applied is empty"


def test_a_function_goes_by_one_name_in_its_deployed_name_code_key_and_service() -> None:
    # The package name everywhere: no second name for the plan, the zip key or the logs.
    for function in stackspec.functions():
        pascal = "".join(part.capitalize() for part in function.name.split("_"))
        assert function.deployed_name.endswith(f"-{function.name}"), function.deployed_name
        assert function.code_parameter == f"{pascal}CodeKey", function.code_parameter
        service = function.environment.get("POWERTOOLS_SERVICE_NAME") or ""
        assert service.endswith(f"-{function.name}"), service


def test_each_function_logs_to_the_group_its_logging_config_names() -> None:
    from stackspec.deployed import log_groups

    for stack in stackspec.load_stacks():
        text = stack.template.read_text(encoding="utf-8")
        groups = log_groups(stack)
        for function in stack.functions:
            (group,) = [
                g for g in groups if g.functions == (function.name,) and not g.access_format
            ]
            assert group.source == function.name
            assert f'LogGroupName: !Sub "{group.name}"' in text


def test_an_api_stages_access_log_is_read_with_its_format_and_the_functions_behind_it() -> None:
    from stackspec.deployed import log_groups

    access = [g for stack in stackspec.load_stacks() for g in log_groups(stack) if g.access_format]
    assert access, "the sample API writes an access log"
    behind_api = {f.name for f in stackspec.functions() if f.trigger(ApiTrigger)}
    for group in access:
        fields = group.access_fields()
        assert "$context.requestId" in fields and "$context.integration.requestId" in fields
        assert set(group.functions) <= behind_api and group.functions


def test_the_bucket_that_notifies_a_queue_is_known_by_its_resource_and_output() -> None:
    from stackspec.deployed import output_naming

    fed = [
        (stack, trigger.source)
        for stack in stackspec.load_stacks()
        for function in stack.functions
        if isinstance(trigger := function.trigger(QueueTrigger), QueueTrigger)
        and trigger.source is not None
    ]
    assert fed, "the sample stack has a bucket that notifies a queue"
    for stack, source in fed:
        assert source.logical_id in stack.buckets
        assert output_naming(stack, source.logical_id)
