"""The importer's key for an email is the database's lower(), also where that is not Python's."""

from __future__ import annotations

import string

from sample_event.daos.batches import case_fold


def test_an_ascii_lowering_database_gets_python_lower() -> None:
    assert case_fold(string.ascii_lowercase) is str.lower


def test_a_turkish_database_folds_capital_i_to_dotless_i_as_its_lower_does() -> None:
    # lower('ABC...Z') in a tr_TR database: every letter as in ASCII, but I becomes U+0131.
    fold = case_fold(string.ascii_lowercase.replace("i", "\u0131"))
    assert fold("IRIS.Ink@Example.COM") == "\u0131r\u0131s.\u0131nk@example.com"
    assert fold("iris@example.com") == "iris@example.com"  # a small i stays: two distinct keys
