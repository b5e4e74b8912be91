"""The importer validates with shared.models.NewUser; its speed-ups must not change a verdict."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from sample_event.services.validation import validate_row
from shared import models


def test_control_character_pattern_matches_unicode_categories_cc_and_cs() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        expected = unicodedata.category(char) in ("Cc", "Cs")
        assert bool(models._UNPRINTABLE.search(char)) is expected, hex(code)


@pytest.mark.parametrize(
    ("email", "valid"),
    [
        ("ada@example.com", True),
        ("ADA@EXAMPLE.COM", True),
        ("ada@bücher.example", True),
        ("ada@localhost", False),
        ("ada@example.test", False),
        ("ada@-example.com", False),
        ("ada@exa_mple.com", False),
        ("ada@example", False),
        ("ada..b@example.com", False),
    ],
)
def test_memoised_domain_check_keeps_every_verdict(email: str, valid: bool) -> None:
    # Twice: the second call is answered from the memoised domain check.
    for _ in range(2):
        outcome = validate_row("Ada", email)
        assert isinstance(outcome, models.NewUser) is valid, outcome


def test_row_reason_names_the_field() -> None:
    assert validate_row(" ", "ada@example.com") == (
        "name: must be 1 to 100 characters after trimming"
    )
    reason = validate_row("Ada", "nope")
    assert isinstance(reason, str)
    assert reason.startswith("email: is not a valid email address")
