"""What an import does with each kind of file: rows, duplicates, rejects and whole-file failures."""

from __future__ import annotations

from typing import Any

import pytest

GOOD = "name,email\nAda Example,ada@example.com\nAlan Example,alan@example.com\n"
ADA_AND_ALAN = [("Ada Example", "ada@example.com"), ("Alan Example", "alan@example.com")]


def test_imports_every_valid_row_and_reports_it(
    upload: Any, invoke: Any, users: Any, ledger: Any, report: Any
) -> None:
    # GIVEN a clean CSV under imports/
    obj = upload(GOOD)
    # WHEN its notification arrives
    result = invoke(obj.s3_event())
    # THEN both users exist, the ledger says completed, and the report says so too
    assert result["imports"][0]["status"] == "completed"
    assert users() == ADA_AND_ALAN
    [row] = ledger()
    assert (row["status"], row["rows_read"], row["inserted"], row["duplicates"]) == (
        "completed",
        2,
        2,
        0,
    )
    assert row["object_version"] == obj.version_id
    summary = report(obj.bucket, "reports/users.csv.json")
    assert summary["status"] == "completed"
    assert (summary["rows_read"], summary["inserted"], summary["rejected"]) == (2, 2, 0)
    assert summary["rejected_report"] is None
    assert summary["duration_ms"] >= 0


@pytest.mark.parametrize(
    ("label", "body"),
    [
        (
            "bom",
            "\ufeffname,email\r\nAda Example,ada@example.com\r\nAlan Example,alan@example.com\r\n",
        ),
        ("crlf", GOOD.replace("\n", "\r\n")),
        ("no final newline", GOOD.rstrip("\n")),
        (
            "blank lines",
            "\nname,email\n\nAda Example,ada@example.com\n \n,\nAlan Example,alan@example.com\n\n",
        ),
        (
            "header order and case",
            "EMAIL, Name \nada@example.com,Ada Example\nalan@example.com,Alan Example\n",
        ),
        (
            "quoted fields",
            'name,email\n"Ada Example","ada@example.com"\n"Alan Example",alan@example.com\n',
        ),
    ],
)
def test_accepted_dialects_import_the_same_users(
    label: str, body: str, upload: Any, invoke: Any, users: Any, ledger: Any
) -> None:
    invoke(upload(body).s3_event())
    assert users() == ADA_AND_ALAN, label
    [row] = ledger()
    assert (row["status"], row["rows_read"], row["inserted"], row["rejected"]) == (
        "completed",
        2,
        2,
        0,
    )


def test_quoted_commas_quotes_and_newlines_are_kept(
    upload: Any, invoke: Any, users: Any, ledger: Any, report: Any
) -> None:
    # GIVEN quoted fields holding commas, doubled quotes and newlines (in an ignored column)
    body = (
        "name,email,notes\n"
        '"Lovelace, Ada ""Countess""",ada@example.com,"first line\nsecond line"\n'
        '"Alan\nTuring",alan@example.com,x\n'
        "Grace Example,not-an-email,y\n"
    )
    obj = upload(body)
    # WHEN imported
    invoke(obj.s3_event())
    # THEN the fields keep their content; a newline inside a name is a control character,
    # rejected by the same rule as POST /users, and line numbers count physical lines
    assert users() == [('Lovelace, Ada "Countess"', "ada@example.com")]
    [row] = ledger()
    assert (row["rows_read"], row["inserted"], row["rejected"]) == (3, 1, 2)
    header, first, second = report(obj.bucket, "reports/users.csv.rejected.csv")
    assert header == ["line", "name", "email", "reason"]
    assert first[:3] == ["4", "Alan\nTuring", "alan@example.com"]
    assert "name: must not contain control characters" in first[3]
    assert second[:3] == ["6", "Grace Example", "not-an-email"]
    assert second[3].startswith("email: is not a valid email address")
