"""The patterns /openapi.json publishes for NewUser accept exactly what the model accepts.

The fuzzer trusts the document both ways (schema-valid must be accepted, schema-invalid
refused), so the document's patterns and shared/models.py's rules are held equal here.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from sample_api.openapi import EMAIL_PATTERN, NAME_PATTERN
from shared.models import NewUser

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SPACE_CLASS = re.compile(NAME_PATTERN[1 : NAME_PATTERN.index("]") + 1])
_SPACES = st.sampled_from(" \u00a0\u1680\u2000\u200a\u2028\u3000\t\n")
_EMAILISH = st.text(alphabet="aZ09.-_+!@", max_size=30)


def _accepted(**fields: str) -> bool:
    try:
        NewUser(**{"name": "Ada", "email": "ada@example.com", **fields})
    except ValidationError:
        return False
    return True


def test_the_pattern_trims_exactly_the_whitespace_str_strip_removes() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if _CONTROL.match(char) or 0xD800 <= code <= 0xDFFF:
            continue  # refused by both rules whatever strip() does
        assert char.isspace() == bool(_SPACE_CLASS.fullmatch(char)), hex(code)


@given(st.tuples(st.lists(_SPACES, max_size=3), st.text(max_size=110), st.lists(_SPACES)))
@example(([], "a" * 100, []))
@example(([], "a" * 101, []))
@example(([" "], "", [" "]))
@example(([" "] * 300, "a" * 100, [" "] * 10))
def test_name_pattern_and_model_agree(parts: tuple[list[str], str, list[str]]) -> None:
    name = "".join(parts[0]) + parts[1] + "".join(parts[2])
    documented = re.fullmatch(NAME_PATTERN, name) is not None and len(name) <= 400
    assert documented == _accepted(name=name)


@given(st.one_of(st.from_regex(EMAIL_PATTERN, fullmatch=True), _EMAILISH))
@example("a.b@c")
@example(".a@b")
@example("a.@b")
@example("a..b@c")
@example("a" * 64 + "@b")
@example("a" * 65 + "@b")
@example("a@" + "b" * 63)
@example("a@" + "b" * 64)
def test_email_pattern_and_model_agree(email: str) -> None:
    # format: email adds RFC 5321's 64-character local part; maxLength the 254 of the whole.
    local = email.partition("@")[0]
    documented = bool(re.fullmatch(EMAIL_PATTERN, email)) and len(local) <= 64
    documented = documented and 3 <= len(email) <= 254
    assert documented == _accepted(email=email)


@pytest.mark.parametrize("name", ["\x00", "a\nb", "\x85", "a\x7f"])
def test_control_characters_fail_the_name_pattern(name: str) -> None:
    assert re.fullmatch(NAME_PATTERN, name) is None
    assert not _accepted(name=name)
