"""API Gateway's resource matching: which function a request path goes to, as a REST API does.

A resource path is made of literal segments, `{name}` (one segment) and a last `{name+}` (one
or more segments; `/{proxy+}` is the greedy catch-all, which does not match `/` itself). When
several resources match, the most specific wins: segment by segment, a literal beats a
parameter, which beats a greedy one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from localcloud.functions import FunctionHost

_LITERAL, _PARAMETER, _GREEDY = 0, 1, 2


@dataclass(frozen=True)
class Match:
    """The resource a request matched, its function, and the path parameters it binds."""

    resource: str
    function: FunctionHost
    path_parameters: dict[str, str] | None


class Routes:
    """Resource paths -> functions; a path declared twice is an error."""

    def __init__(self, routes: Iterable[tuple[str, FunctionHost]]) -> None:
        self._routes: dict[str, FunctionHost] = {}
        for resource, function in routes:
            other = self._routes.get(resource)
            if other is not None and other is not function:
                raise ValueError(
                    f"the path {resource} is declared for both {other.name} and {function.name}"
                )
            self._routes[resource] = function

    @classmethod
    def catch_all(cls, function: FunctionHost) -> Routes:
        """Every path to one function: `/` and `/{proxy+}`."""
        return cls([("/", function), ("/{proxy+}", function)])

    @property
    def functions(self) -> list[FunctionHost]:
        """Each function once, in the order first routed."""
        return list({id(f): f for f in self._routes.values()}.values())

    def match(self, path: str) -> Match | None:
        """The most specific resource matching the path, or None (API Gateway's 403)."""
        segments = _segments(path)
        best: tuple[tuple[int, ...], Match] | None = None
        for resource, function in self._routes.items():
            bound = _bind(_segments(resource), segments)
            if bound is None:
                continue
            rank = tuple(_rank(part) for part in _segments(resource))
            if best is None or rank < best[0]:
                best = (rank, Match(resource, function, bound or None))
        return None if best is None else best[1]


def _segments(path: str) -> list[str]:
    stripped = path.removeprefix("/")
    return stripped.split("/") if stripped else []


def _rank(part: str) -> int:
    if part.startswith("{") and part.endswith("+}"):
        return _GREEDY
    return _PARAMETER if part.startswith("{") and part.endswith("}") else _LITERAL


def _bind(resource: list[str], path: list[str]) -> dict[str, str] | None:
    """The parameters the resource binds on the path, or None when it does not match."""
    bound: dict[str, str] = {}
    for index, part in enumerate(resource):
        kind = _rank(part)
        if kind == _GREEDY:
            rest = "/".join(path[index:])
            if not rest:
                return None
            bound[part[1:-2]] = rest
            return bound
        if index >= len(path):
            return None
        if kind == _PARAMETER:
            if not path[index]:
                return None
            bound[part[1:-1]] = path[index]
        elif part != path[index]:
            return None
    return bound if len(path) == len(resource) else None
