"""A route's arguments read from its typed signature: path and query by hand, the body by pydantic.

Powertools' request validation (enable_validation) builds pydantic models for every route,
and importing pydantic is the largest part of a cold start, while GET needs two integers and
a string. `parsed` reads the same signature that /openapi.json publishes and refuses a bad
request with the errors Powertools' validation gave, so the 422 bodies are the same
(tests/sample_api/test_params.py holds the two equal):

- a parameter named in the route's path comes from the path, any other int or str from the
  query string; an int is ASCII digits (no sign, no "1_0"), then Constraints(ge=, le=); a str
  is checked against Constraints(pattern=), whose final `$` ends the string, as in JSON Schema;
- a parameter of any other type is the JSON body, validated by that model's model_validate:
  the first POST imports pydantic, GET never does.
"""

from __future__ import annotations

import functools
import inspect
import re
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from sample_api import body
from sample_api.constraints import Constraints

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_lambda_powertools.event_handler.api_gateway import Router

_MAX_DIGITS = 4300  # pydantic refuses longer integers (leading zeros not counted)
_RULES = {int: frozenset({"ge", "le"}), str: frozenset({"pattern"})}


def parsed(router: Router) -> Callable[[Callable[..., Any]], ParsedRoute]:
    """Decorator, under @router.get/post: the route is called with its parsed arguments."""
    return functools.partial(ParsedRoute, router)


class ParsedRoute:
    """A route function, called with the arguments its signature asks of the request."""

    def __init__(self, router: Router, func: Callable[..., Any]) -> None:
        functools.update_wrapper(self, func)  # its name, and its annotations for Powertools
        self._router = router
        self._func = func

    @functools.cached_property
    def __signature__(self) -> inspect.Signature:
        # Powertools documents the route from this. Evaluated on first use, not at import:
        # a body model's annotation loads pydantic.
        return inspect.signature(self._func, eval_str=True)

    @functools.cached_property
    def _params(self) -> list[_Param]:
        return [_describe(p) for p in self.__signature__.parameters.values()]

    def __call__(self, **path: str) -> Any:
        event = self._router.current_event
        scalars = [param for param in self._params if param.kind in _RULES]
        query = _query_values(event) if len(scalars) > len(path) else {}
        values: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        # Powertools' order: the path's parameters, then the query string's, then the body.
        for param in sorted(scalars, key=lambda param: param.name not in path):
            where = "path" if param.name in path else "query"
            raw = path.get(param.name) if where == "path" else query.get(param.name)
            if raw is None and param.default is not inspect.Parameter.empty:
                values[param.name] = param.default
                continue
            value, error = _check(param, raw)
            if error is None:
                values[param.name] = value
            else:
                errors.append({"type": error[0], "loc": (where, param.name), "msg": error[1]})
        for param in self._params:
            if param.kind not in _RULES:
                values[param.name] = body.validated(event, param.kind, errors)
        if errors:
            raise RequestValidationError(errors)
        return self._func(**values)


class _Param:
    # A plain class: a NamedTuple or a dataclass would compile code at import (cold start).
    __slots__ = ("default", "kind", "name", "rules")

    def __init__(self, name: str, kind: Any, rules: dict[str, Any], default: Any) -> None:
        self.name = name
        self.kind = kind  # int, str, or the body's model
        self.rules = rules
        self.default = default


def _check(param: _Param, raw: Any) -> tuple[Any, tuple[str, str] | None]:
    if raw is None:
        return None, ("missing", "Field required")
    if param.kind is int:
        return _integer(raw, param.rules)
    return _text(raw, param.rules)


def _describe(param: inspect.Parameter) -> _Param:
    annotation = param.annotation
    if get_origin(annotation) in (Union, UnionType):
        members = [arg for arg in get_args(annotation) if arg is not NoneType]
        annotation = members[0] if len(members) == 1 else annotation
    rules: dict[str, Any] = {}
    if get_origin(annotation) is Annotated:
        annotation, *metadata = get_args(annotation)
        for item in metadata:
            if not isinstance(item, Constraints):
                raise TypeError(f"{param.name}: only Constraints can annotate a parameter")
            rules.update(item.rules)
    allowed = _RULES.get(annotation, frozenset())
    if not set(rules) <= allowed:
        raise TypeError(f"{param.name}: {sorted(set(rules) - allowed)} do not apply")
    return _Param(param.name, annotation, rules, param.default)


def _query_values(event: Any) -> dict[str, Any]:
    # As Powertools' validation reads them: a name API Gateway sent with several values is a
    # list (refused as a scalar), one value a string; a comma never splits a value.
    native = event.multi_value_query_string_parameters or {}
    values: dict[str, Any] = {}
    for name, value in event.resolved_query_string_parameters.items():
        if isinstance(value, list) and len(value) > 1 and name not in native:
            value = ",".join(value)
        values[name] = value[0] if isinstance(value, list) and len(value) == 1 else value
    return values


def _integer(raw: Any, rules: dict[str, Any]) -> tuple[int, None] | tuple[None, tuple[str, str]]:
    if not isinstance(raw, str):
        return None, ("int_type", "Input should be a valid integer")
    if not (raw.isascii() and raw.isdigit()):
        return None, ("value_error", "must be a whole number written in digits")
    digits = raw.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        if digits is raw:  # no leading zero: pydantic names the size
            return None, ("int_parsing_size", _TOO_LONG)
        return None, ("int_parsing", _NOT_AN_INTEGER)
    number = int(digits)
    low, high = rules.get("ge"), rules.get("le")
    if low is not None and number < low:
        return None, ("greater_than_equal", f"Input should be greater than or equal to {low}")
    if high is not None and number > high:
        return None, ("less_than_equal", f"Input should be less than or equal to {high}")
    return number, None


_TOO_LONG = "Unable to parse input string as an integer, exceeded maximum size"
_NOT_AN_INTEGER = "Input should be a valid integer, unable to parse string as an integer"


def _text(raw: Any, rules: dict[str, Any]) -> tuple[str, None] | tuple[None, tuple[str, str]]:
    if not isinstance(raw, str):
        return None, ("string_type", "Input should be a valid string")
    if not raw.isascii():
        try:
            raw.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, which JSON can carry
            message = "Input should be a valid string, unable to parse raw data as a unicode string"
            return None, ("string_unicode", message)
    pattern = rules.get("pattern")
    if pattern is not None and _regex(pattern).search(raw) is None:
        return None, ("string_pattern_mismatch", f"String should match pattern '{pattern}'")
    return raw, None


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    # JSON Schema's `$` (ECMA-262) ends the string; Python's would also match before a "\n".
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)
