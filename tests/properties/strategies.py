"""Generators of CSV content: valid users per shared.models.NewUser, and arbitrary bytes."""

from __future__ import annotations

import string

from hypothesis import strategies as st

from shared.models import LOCAL_PART_MAX_LENGTH, NAME_MAX_LENGTH

# Names: any text without control characters or surrogates (categories Cc, Cs), 1 to 100
# characters once trimmed; stored trimmed.
names = (
    st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=NAME_MAX_LENGTH)
    .map(str.strip)
    .filter(lambda name: 1 <= len(name) <= NAME_MAX_LENGTH)
)

_LOCAL_ALPHABET = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
_LABEL_EDGE = string.ascii_letters + string.digits
_label = st.builds(
    lambda first, middle, last: first + middle + last,
    st.sampled_from(_LABEL_EDGE),
    st.text(_LABEL_EDGE + "-", max_size=8),
    st.sampled_from(_LABEL_EDGE),
) | st.sampled_from(_LABEL_EDGE)
# Valid per NewUser: the HTML Standard's pattern, a dot-atom local part, the length limits.
# The part before @ is a dot-atom: no leading, trailing or doubled dot.
_local = (
    st.lists(st.text(_LOCAL_ALPHABET, min_size=1, max_size=20), min_size=1, max_size=4)
    .map(".".join)
    .filter(lambda local: len(local) <= LOCAL_PART_MAX_LENGTH)
)
emails = st.builds(
    lambda local, labels: f"{local}@{'.'.join(labels)}",
    _local,
    st.lists(_label, min_size=1, max_size=4),
)


@st.composite
def user_lists(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Users whose emails repeat now and then, in another case: the file's own duplicates."""
    users = draw(st.lists(st.tuples(names, emails), max_size=12))
    repeats = draw(st.lists(st.tuples(names, st.integers(0, 99)), max_size=3))
    for name, index in repeats if users else []:
        email = users[index % len(users)][1]
        users.append((name, draw(st.sampled_from([email, email.upper(), email.swapcase()]))))
    return users


# Bytes that look like a CSV often enough to reach every branch of the reader.
_csvish = (
    st.lists(
        st.sampled_from(
            [*"abé€😀,;\"'\r\n \t@.\ufeff\x00\u2028", "name", "email", "x@y.z", "\r\n"]
        ),
        max_size=40,
    )
    .map("".join)
    .map(lambda text: text.encode("utf-8"))
)
_header = st.sampled_from([b"", b"name,email\n", b"email,name\r\n", b"\xef\xbb\xbfname,email,x\n"])
arbitrary_files = st.one_of(
    st.binary(max_size=200),
    st.builds(bytes.__add__, _header, st.binary(max_size=120)),
    st.builds(bytes.__add__, _header, _csvish),
)
