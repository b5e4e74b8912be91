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


def test_extra_columns_are_ignored_and_listed(
    upload: Any, invoke: Any, users: Any, report: Any
) -> None:
    obj = upload("id,Name,phone,EMAIL\n7,Ada Example,555,ada@example.com\n")
    invoke(obj.s3_event())
    assert users() == [("Ada Example", "ada@example.com")]
    assert report(obj.bucket, "reports/users.csv.json")["ignored_columns"] == ["id", "phone"]


def test_header_only_completes_with_nothing_imported(
    upload: Any, invoke: Any, users: Any, ledger: Any
) -> None:
    invoke(upload("name,email\n").s3_event())
    assert users() == []
    [row] = ledger()
    assert (row["status"], row["rows_read"], row["inserted"]) == ("completed", 0, 0)


@pytest.mark.parametrize(
    ("label", "body", "reason"),
    [
        ("empty object", b"", "the file is empty"),
        ("no header", b"Ada Example,ada@example.com\n", "no header row"),
        ("missing column", b"name,mail\nAda Example,ada@example.com\n", "no email column"),
        ("twice the same column", b"name,email,Email\nA,a@example.com,b@example.com\n", "twice"),
        ("not UTF-8", "name,email\nJosé,jose@example.com\n".encode("latin-1"), "not UTF-8"),
        ("binary", bytes(range(256)) * 4, "binary content"),  # the first bad byte is a NUL
        ("NUL bytes", b"name,email\nAda\x00,ada@example.com\n", "binary content"),
        (
            "unclosed quote",
            b'name,email\n"Ada Example,ada@example.com\nAlan,a@example.com\n',
            "never closed",
        ),
        ("text after a quote", b'name,email\n"Ada" Example,ada@example.com\n', "line 2"),
        (
            "over-long field",
            b"name,email\n" + b"x" * 200_000 + b",ada@example.com\n",
            "field limit",
        ),
        ("over-long line", b"name,email\n" + b"x," * 600_000, "longer than"),
    ],
)
def test_unreadable_files_import_nothing_and_are_recorded_as_failed(
    label: str,
    body: bytes,
    reason: str,
    upload: Any,
    invoke: Any,
    users: Any,
    ledger: Any,
    report: Any,
    db: Any,
) -> None:
    # GIVEN a user already in the table
    db.execute("INSERT INTO users (name, email) VALUES ('Old', 'old@example.com')")
    obj = upload(body)
    # WHEN the file cannot be read as a CSV of users, the handler still returns normally
    result = invoke(obj.s3_event())
    # THEN nothing changed, the ledger says failed with the reason, and so does the report
    assert result["imports"][0]["status"] == "failed", label
    assert users() == [("Old", "old@example.com")]
    [row] = ledger()
    assert row["status"] == "failed"
    assert reason in row["error"], row["error"]
    assert (row["inserted"], row["claim_alive"]) == (0, None)
    summary = report(obj.bucket, "reports/users.csv.json")
    assert (summary["status"], summary["error"]) == ("failed", row["error"])


def test_failure_after_many_chunks_rolls_back_every_staged_row(
    upload: Any, db: Any, s3_client: Any, users: Any, ledger: Any
) -> None:
    from sample_event.models import ObjectRef
    from sample_event.services.imports import run_import

    # GIVEN valid rows with multi-byte characters, then one invalid byte at the very end
    rows = "".join(f"Zoë {i},zoe{i}@example.com\n" for i in range(300))
    obj = upload(b"name,email\n" + rows.encode("utf-8") + b"Bad \xff,bad@example.com\n")
    ref = ObjectRef(obj.bucket, obj.key, obj.version_id, obj.etag)
    # WHEN read in 7-byte chunks (multi-byte characters split across chunks)
    summary = run_import(
        db,
        s3_client,
        ref,
        import_id="6b1c0f0e-0000-4000-8000-000000000001",
        remaining_ms=30_000,
        chunk_size=7,
    )
    # THEN the rows before the bad byte are not imported either
    assert summary.status == "failed"
    assert summary.error is not None and "not UTF-8" in summary.error
    assert users() == []
    assert [row["status"] for row in ledger()] == ["failed"]


def test_small_chunks_decode_split_characters(
    upload: Any, db: Any, s3_client: Any, users: Any
) -> None:
    from sample_event.models import ObjectRef
    from sample_event.services.imports import run_import

    obj = upload(
        "\ufeffname,email\r\nZoë Ærøskøbing,zoe@example.com\r\n日本 語,nihon@example.com\r\n"
    )
    ref = ObjectRef(obj.bucket, obj.key, obj.version_id, obj.etag)
    summary = run_import(
        db,
        s3_client,
        ref,
        import_id="6b1c0f0e-0000-4000-8000-000000000002",
        remaining_ms=30_000,
        chunk_size=1,
    )
    assert (summary.status, summary.inserted) == ("completed", 2)
    assert users() == [("日本 語", "nihon@example.com"), ("Zoë Ærøskøbing", "zoe@example.com")]


def test_duplicates_in_file_and_in_table_are_counted_and_left_untouched(
    upload: Any, invoke: Any, users: Any, ledger: Any, report: Any, db: Any
) -> None:
    # GIVEN Ada already registered, and a file repeating her and itself in other cases
    db.execute("INSERT INTO users (name, email) VALUES ('Ada Original', 'Ada@Example.com')")
    body = (
        "name,email\n"
        "Ada Again,ada@example.com\n"
        "Alan First,alan@example.com\n"
        "Alan Second,ALAN@example.COM\n"
        "Alan Third,alan@example.com\n"
        "Grace,grace@example.com\n"
    )
    obj = upload(body)
    invoke(obj.s3_event())
    # THEN the first of each new email is inserted; the stored user keeps her name and case
    assert users() == [
        ("Ada Original", "Ada@Example.com"),
        ("Alan First", "alan@example.com"),
        ("Grace", "grace@example.com"),
    ]
    [row] = ledger()
    assert (row["rows_read"], row["inserted"], row["duplicates"], row["rejected"]) == (5, 2, 3, 0)
    summary = report(obj.bucket, "reports/users.csv.json")
    assert (summary["inserted"], summary["duplicates"]) == (2, 3)


def test_rejected_rows_are_listed_with_line_and_reason_and_formulas_neutralised(
    upload: Any, invoke: Any, users: Any, ledger: Any, report: Any
) -> None:
    body = (
        "name,email\n"
        '=HYPERLINK("http://evil"),a@example.com\n'
        "+1,b@example.com\n"
        "Ok Name,-bad email\n"
        "@SUM(A1),@example.com\n"
        '"\tTab",e@example.com\n'
        ",f@example.com\n"
        "Too,many,g@example.com\n"
        "Short\n"
        "Valid User,valid@example.com\n"
    )
    obj = upload(body)
    invoke(obj.s3_event())
    # "=..." and "+1" are fine names (POST /users accepts them); the report must not run them
    stored = dict((email, name) for name, email in users())
    assert stored["a@example.com"] == '=HYPERLINK("http://evil")'
    assert "valid@example.com" in stored
    [row] = ledger()
    rows = report(obj.bucket, "reports/users.csv.rejected.csv")
    assert rows[0] == ["line", "name", "email", "reason"]
    by_line = {int(r[0]): r for r in rows[1:]}
    assert by_line[4][2] == "'-bad email"
    assert by_line[5][1:3] == ["'@SUM(A1)", "'@example.com"]
    assert by_line[6][1] == "'\tTab"
    assert by_line[7][3].startswith("name: ")
    assert "3 fields" in by_line[8][3]
    assert "missing" in by_line[9][3]
    assert row["rejected"] == len(by_line) == 6
    for cells in rows[1:]:
        assert not cells[1].startswith(("=", "+", "-", "@", "\t", "\r"))
        assert not cells[2].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_many_rejects_stream_to_a_multipart_report(
    upload: Any, invoke: Any, users: Any, ledger: Any, report: Any, s3_client: Any
) -> None:
    # GIVEN ~10 MB of rejected rows (more fields than the header), more than one upload part
    long_name = "n" * 900
    body = "name,email\n" + f"{long_name},a@example.com,extra\n" * 10_000 + "Ok,ok@example.com\n"
    obj = upload(body)
    invoke(obj.s3_event())
    assert users() == [("Ok", "ok@example.com")]
    [row] = ledger()
    assert (row["rows_read"], row["inserted"], row["rejected"]) == (10_001, 1, 10_000)
    rows = report(obj.bucket, "reports/users.csv.rejected.csv")
    assert len(rows) == 10_001
    assert rows[1] == ["2", long_name, "a@example.com", "the row has 3 fields, the header 2"]
    assert rows[-1][0] == "10001"
    # A multipart upload's ETag ends with its number of parts.
    head = s3_client.head_object(Bucket=obj.bucket, Key="reports/users.csv.rejected.csv")
    assert head["ETag"].endswith('-2"')
