"""Imports that run code on first use: a module, or the exports of a package's __init__.

For what a cold start does not need but must be able to name: a module in an annotation
Powertools reads later, or a package whose __init__ imports every sibling module to re-export
their names (Powertools' event_handler and data_classes import every resolver and ~30 event
classes, where a REST API needs one of each).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Any


class LazyModule:
    """Stands for module `name`: imports it on first attribute access, and reads from it.

    The import is an ordinary one, so the module lands in sys.modules, where pydantic looks
    up a model's module to resolve its annotations.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


# Powertools' package __init__ files that import every resolver and event class to re-export
# them (~50 ms of a ~250 ms cold start), where a REST API needs one of each.
POWERTOOLS_REEXPORTING = (
    "aws_lambda_powertools.event_handler",
    "aws_lambda_powertools.event_handler.openapi",
    "aws_lambda_powertools.utilities.data_classes",
)


def lazy_powertools() -> None:
    """Register POWERTOOLS_REEXPORTING lazily: call it before anything imports Powertools."""
    for package in POWERTOOLS_REEXPORTING:
        lazy_exports(package)


def lazy_exports(name: str) -> bool:
    """Register package `name` without running its __init__; each export loads on first use.

    Only for an __init__ that does nothing but `from <module> import <names>` and `__all__`:
    then importing a name from its own module is all the __init__ would have done for it.
    Returns False, and leaves the import to Python, if the package is already imported or
    its __init__ does anything else (tests/shared/test_lazy.py holds Powertools' to this).
    """
    if name in sys.modules:
        return False
    spec = importlib.util.find_spec(name)  # imports the parents, not the package
    if spec is None or spec.origin is None or spec.submodule_search_locations is None:
        return False
    exports = reexports(Path(spec.origin).read_text(encoding="utf-8"))
    if exports is None:
        return False
    package = importlib.util.module_from_spec(spec)

    def export(attribute: str) -> Any:
        if attribute not in exports:  # a submodule: the import system tries it next
            raise AttributeError(f"module {name!r} has no attribute {attribute!r}")
        source, original = exports[attribute]
        value = getattr(importlib.import_module(source, name), original)
        setattr(package, attribute, value)
        return value

    package.__getattr__ = export  # type: ignore[method-assign]
    package.__dir__ = lambda: sorted({*vars(package), *exports})  # type: ignore[method-assign]
    if "__all__" in exports:
        package.__all__ = exports.pop("__all__")[1]  # type: ignore[attr-defined]
    sys.modules[name] = package
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, package)
    return True


def reexports(source: str) -> dict[str, tuple[str, Any]] | None:
    """What a pure re-exporting __init__ binds: name -> (module, name in it); None if impure.

    `__all__`, if assigned, maps to ("", its value).
    """
    exports: dict[str, tuple[str, Any]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == "*" or not module.strip("."):
                    return None
                exports[alias.asname or alias.name] = (module, alias.name)
        elif _is_docstring(node):
            continue
        elif _assigns_all(node):
            exports["__all__"] = ("", ast.literal_eval(node.value))  # type: ignore[attr-defined]
        else:
            return None
    return exports


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _assigns_all(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == ["__all__"]
        and isinstance(node.value, ast.List | ast.Tuple)
    )
