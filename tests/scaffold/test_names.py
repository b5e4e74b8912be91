"""The names `make new-function` refuses, each with a message that says why."""

from __future__ import annotations

import re

import pytest

from scaffold.__main__ import main
from scaffold.names import InvalidNameError, check_name
from scaffold.render import create
from stackspec.model import ROOT


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Orders", "lowercase letters or digits"),
        ("order_items", "lowercase letters or digits"),
        ("2fa", "starting with a letter"),
        ("o", "2 to 20"),
        ("a" * 21, "2 to 20"),
        ("class", "Python keyword"),
        ("match", "Python keyword"),
        ("order", "reserved word of SQL"),
        ("json", "standard library"),
        ("pydantic", "already importable"),
        ("shared", "src/shared already exists"),
        ("fixtures", "already exists"),
        ("users", "already creates a table named 'users'"),
    ],
)
def test_a_name_that_cannot_be_a_new_function_is_refused_saying_why(name: str, why: str) -> None:
    with pytest.raises(InvalidNameError, match=why):
        check_name(name, ROOT)


@pytest.mark.parametrize(
    ("name", "trigger", "clash"),
    [
        ("api", "api", "apigateway-lambda.yaml already declares ApiFunctionName"),
        ("dependencies", "sqs", "apigateway-lambda.yaml already declares ${Project}-${Stage}-dep"),
        ("sample", "s3", "s3-lambda.yaml already declares sample-bucket"),
        ("mirror", "dynamodb", "dynamodb-lambda.yaml already declares ${Project}-${Stage}-mirror-"),
    ],
)
def test_a_name_whose_resources_another_stack_declares_is_refused(
    name: str, trigger: str, clash: str
) -> None:
    # The stack would deploy its function, queue or bucket under a name already in use.
    with pytest.raises(InvalidNameError, match=re.escape(clash)):
        create(name, trigger, ROOT)
    assert not (ROOT / "src" / name).exists()


def test_the_command_refuses_with_a_message_and_exit_status_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["Orders", "api"]) == 2
    assert "make new-function: NAME must be" in capsys.readouterr().err
