"""Properties of the whole import (run_import on a real PostgreSQL and a real S3 API)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from hypothesis import given
from hypothesis import strategies as st

from shared.errors import AppError
from tests.properties.profiles import PROFILE
from tests.properties.strategies import arbitrary_files, user_lists

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.properties.conftest import Importer


def _csv(users: list[tuple[str, str]], lineterminator: str = "\r\n") -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator=lineterminator)
    writer.writerow(["name", "email"])
    writer.writerows(users)
    return text.getvalue().encode("utf-8")


@PROFILE
@given(users=user_lists(), lineterminator=st.sampled_from(["\n", "\r\n"]))
def test_a_csv_writer_file_imports_exactly_its_users(
    importer: Importer,
    expected_users: Callable[[list[tuple[str, str]]], list[tuple[str, str]]],
    users: list[tuple[str, str]],
    lineterminator: str,
) -> None:
    importer.reset()
    ref = importer.upload(_csv(users, lineterminator))
    summary = importer.run(ref)
    expected = expected_users(users)
    assert sorted(importer.users()) == sorted(expected)
    assert (summary.status, summary.rows_read, summary.rejected) == ("completed", len(users), 0)
    assert (summary.inserted, summary.duplicates) == (len(expected), len(users) - len(expected))
    report = importer.report(ref)
    assert report is not None
    assert (report["inserted"], report["rejected_report"]) == (len(expected), None)


@PROFILE
@given(body=arbitrary_files)
def test_any_bytes_give_a_report_whose_counts_add_up_or_a_project_error(
    importer: Importer, body: bytes
) -> None:
    importer.reset()
    ref = importer.upload(body)
    try:
        summary = importer.run(ref)
    except AppError:
        # Our own errors only (anything else fails the test), and then nothing is imported.
        assert importer.users() == []
        return
    inserted = len(importer.users())
    assert summary.inserted == inserted
    if summary.status == "failed":
        assert (inserted, summary.error is not None) == (0, True)
    else:
        assert summary.status == "completed"
        assert summary.rows_read == summary.inserted + summary.duplicates + summary.rejected
    report = importer.report(ref)
    assert report is not None
    assert (report["status"], report["inserted"], report["rejected"]) == (
        summary.status,
        summary.inserted,
        summary.rejected,
    )


@PROFILE
@given(body=st.one_of(user_lists().map(_csv), arbitrary_files))
def test_importing_twice_equals_importing_once(importer: Importer, body: bytes) -> None:
    importer.reset()
    first = importer.upload(body)
    once = importer.run(first)
    state = importer.users()
    # The same object delivered again: a no-op, seen in the ledger.
    assert importer.run(first).status == "duplicate-delivery"
    # The same content as a new object version: every valid row is now a duplicate.
    again = importer.run(importer.upload(body, key=first.key))
    assert importer.users() == state
    assert (again.status, again.inserted, again.rejected) == (once.status, 0, once.rejected)
    assert again.duplicates == once.duplicates + once.inserted


@PROFILE
@given(
    body=st.one_of(user_lists().map(_csv), arbitrary_files),
    chunk_size=st.integers(1, 7),
    batch_rows=st.integers(1, 4),
)
def test_the_result_does_not_depend_on_the_read_or_batch_size(
    importer: Importer, body: bytes, chunk_size: int, batch_rows: int
) -> None:
    # Small batches: a later duplicate meets the earlier batch's row, a bad line rolls all back.
    outcomes: list[Any] = []
    for size, rows in ((chunk_size, batch_rows), (1 << 20, 200_000)):
        importer.reset()
        summary = importer.run(importer.upload(body), chunk_size=size, batch_rows=rows)
        counts = (summary.status, summary.rows_read, summary.inserted, summary.duplicates)
        # The same users; their ids follow the batches' order, which is not the point.
        outcomes.append((counts, summary.rejected, summary.error, sorted(importer.users())))
    assert outcomes[0] == outcomes[1]
