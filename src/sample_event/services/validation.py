"""A CSV row validated exactly as POST /users validates its body: by shared.models.NewUser's fields.

Both paths are built from NewUser's own field definitions, so there is one rule set. The fast
path applies each field's length bounds and check functions in plain Python, without pydantic;
a row it does not pass goes to a TypeAdapter of the same fields (strict mode), which gives the
verdict and pydantic's message. A field with any other kind of rule has no fast path. A
property test (tests/properties) checks that every verdict and message equals
NewUser.model_validate's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, cast

from annotated_types import MaxLen, MinLen
from pydantic import AfterValidator, ConfigDict, TypeAdapter, ValidationError

from shared.models import NewUser

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic.fields import FieldInfo

_FIELDS = ("name", "email")
# tuple[Annotated[str, <NewUser.name's metadata>], Annotated[str, <NewUser.email's metadata>]]
_ROW_TYPE: Any = tuple[  # type: ignore[misc]
    tuple(Annotated[str, *NewUser.model_fields[name].metadata] for name in _FIELDS)
]
_ROW: TypeAdapter[tuple[str, str]] = TypeAdapter(
    _ROW_TYPE, config=ConfigDict(strict=bool(NewUser.model_config.get("strict")))
)


@dataclass(frozen=True, slots=True)
class _Rules:
    """A field's rules when they are length bounds and one check function, and nothing else."""

    low: int
    high: int
    check: Callable[[str], str]


def _plain_rules(field: FieldInfo) -> _Rules | None:
    low, high, checks = 0, None, []
    for rule in field.metadata:
        if isinstance(rule, MinLen):
            low = rule.min_length
        elif isinstance(rule, MaxLen):
            high = rule.max_length
        elif isinstance(rule, AfterValidator):
            checks.append(rule.func)
        else:
            return None
    # str_* options (strip, lower, ...) would change the value before the checks see it.
    if field.annotation is not str or any(key.startswith("str_") for key in NewUser.model_config):
        return None
    if high is None or len(checks) != 1:
        return None
    return _Rules(low, high, cast("Callable[[str], str]", checks[0]))


_NAME, _EMAIL = (_plain_rules(NewUser.model_fields[name]) for name in _FIELDS)


def validate_row(name: str, email: str) -> tuple[str, str] | str:
    """The valid (name, email), or the reason it is not valid (field: message; ...)."""
    if _NAME is not None and _EMAIL is not None:
        try:
            if _NAME.low <= len(name) <= _NAME.high and _EMAIL.low <= len(email) <= _EMAIL.high:
                return _NAME.check(name), _EMAIL.check(email)
        except Exception:  # noqa: S110 - the adapter below gives the verdict and its message
            pass
    try:
        valid: tuple[str, str] = _ROW.validate_python((name, email))
    except ValidationError as exc:
        return "; ".join(_describe(error) for error in exc.errors(include_url=False))
    return valid


def _describe(error: object) -> str:
    details = error if isinstance(error, dict) else {}
    location = [
        _FIELDS[part] if isinstance(part, int) else str(part) for part in details.get("loc", ())
    ]
    field = ".".join(location) or "row"
    message = str(details.get("msg", "is not valid")).removeprefix("Value error, ")
    return f"{field}: {message}"
