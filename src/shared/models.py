"""The input model of a user, shared by POST /users and the CSV importer."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from collections.abc import Callable

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254


# Unicode categories Cc (NUL and the other control characters) and Cs (lone surrogates, which
# JSON can carry but UTF-8, and so PostgreSQL, cannot store). Both ranges are fixed by Unicode's
# stability policy; a test checks them against unicodedata over every code point. A regex
# runs ~20x faster than a per-character category lookup, which the CSV importer feels.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _reject_unprintable(value: str) -> str:
    if _UNPRINTABLE.search(value):
        raise ValueError("must not contain control characters")
    return value


def _check_name(value: str) -> str:
    value = _reject_unprintable(value).strip()
    if not 1 <= len(value) <= NAME_MAX_LENGTH:
        raise ValueError(f"must be 1 to {NAME_MAX_LENGTH} characters after trimming")
    return value


@cache
def _email_validator() -> Callable[..., Any]:
    """email_validator's validate_email, imported on first use, its domain check memoised.

    Imported late: email_validator (with idna) costs ~60 ms, and only writes need it. The
    domain check (IDNA, special-use names) is two thirds of its cost and a pure function of
    the domain; the addresses of a CSV share few domains. Same rules, ~2x faster imports.
    """
    import sys
    from functools import lru_cache

    from email_validator import validate_email

    module = sys.modules["email_validator.validate_email"]
    check_domain = getattr(module, "validate_email_domain_name", None)
    if check_domain is not None and not hasattr(check_domain, "cache_info"):
        module.validate_email_domain_name = lru_cache(maxsize=4096)(check_domain)  # type: ignore[attr-defined]
    return validate_email


def _check_email(value: str) -> str:
    from email_validator import EmailNotValidError

    _reject_unprintable(value)
    try:
        _email_validator()(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"is not a valid email address: {exc}") from None
    return value  # stored as given; uniqueness ignores case in SQL


class NewUser(BaseModel):
    """A user to create. Unknown fields are rejected, so nothing is mass-assigned."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: Annotated[str, Field(max_length=NAME_MAX_LENGTH * 4), AfterValidator(_check_name)]
    email: Annotated[
        str,
        Field(min_length=3, max_length=EMAIL_MAX_LENGTH, json_schema_extra={"format": "email"}),
        AfterValidator(_check_email),
    ]
