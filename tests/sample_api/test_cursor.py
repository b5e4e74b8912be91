"""Cursors: the published pattern matches exactly the strings decode_cursor accepts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sample_api.actions.cursor import CURSOR_PATTERN, decode_cursor, encode_cursor

MAX_ID = 2**63 - 1


@given(st.integers(min_value=0, max_value=MAX_ID))
def test_every_id_round_trips_through_a_cursor_the_pattern_matches(last_id: int) -> None:
    cursor = encode_cursor(last_id)
    assert re.fullmatch(CURSOR_PATTERN, cursor)
    assert decode_cursor(cursor) == last_id


@given(st.from_regex(CURSOR_PATTERN, fullmatch=True))
def test_every_string_the_pattern_matches_is_one_cursor(cursor: str) -> None:
    # Schema-valid must mean accepted: the fuzzer's positive_data_acceptance relies on it.
    assert encode_cursor(decode_cursor(cursor)) == cursor


@given(st.text(max_size=14))
def test_strings_the_pattern_refuses_are_refused(cursor: str) -> None:
    if re.fullmatch(CURSOR_PATTERN.removesuffix("$"), cursor):
        return
    with pytest.raises(ValueError, match="cursor is not valid"):
        decode_cursor(cursor)
