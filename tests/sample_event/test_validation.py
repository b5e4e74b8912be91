"""The importer validates with shared.models.NewUser, the rules of POST /users."""

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


def test_printable_precheck_lets_no_control_character_through() -> None:
    # NewUser skips its control-character regex for str.isprintable() values.
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in ("Cc", "Cs"):
            assert not char.isprintable(), hex(code)


@pytest.mark.parametrize(
    ("email", "valid"),
    [
        ("ada@example.com", True),
        ("ADA@EXAMPLE.COM", True),
        ("a.b+tag!#$%&'*/=?^_`{|}~-@example.com", True),
        ("ada@xn--bcher-kva.example", True),  # IDNs arrive as punycode, as browsers send them
        ("ada@localhost", True),  # the HTML Standard allows a single-label domain
        ("ada@bücher.example", False),
        ("ada@-example.com", False),
        ("ada@example-.com", False),
        ("ada@exa_mple.com", False),
        ("ada@example..com", False),
        ("ada@.example.com", False),
        ('"ada"@example.com', False),
        ("ada@[127.0.0.1]", False),
        ("ada example@example.com", False),
        ("ada@example.com\n", False),
        ("@example.com", False),
        ("ada@", False),
        ("x" * 64 + "@example.com", True),
        ("x" * 65 + "@example.com", False),
        ("ada@" + "x" * 63 + ".com", True),
        ("ada@" + "x" * 64 + ".com", False),
        ("ada@" + ".".join(["x" * 61] * 4), True),  # 4 + 247 = 251 characters
        ("ada@" + ".".join(["x" * 62] * 4), False),  # 255 characters
    ],
)
def test_email_follows_the_html_standard_and_the_length_limits(email: str, valid: bool) -> None:
    outcome = validate_row("Ada", email)
    assert isinstance(outcome, tuple) is valid, outcome


def test_row_reason_names_the_field() -> None:
    assert validate_row(" ", "ada@example.com") == (
        "name: must be 1 to 100 characters after trimming"
    )
    reason = validate_row("Ada", "nope")
    assert isinstance(reason, str)
    assert reason.startswith("email: is not a valid email address")
