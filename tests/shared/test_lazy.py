"""Lazy imports: a module run on first use, and packages registered without their __init__."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shared.lazy import POWERTOOLS_REEXPORTING, LazyModule, lazy_exports, reexports

if TYPE_CHECKING:
    from types import ModuleType

SRC = Path(__file__).resolve().parents[2] / "src"
# The packages the API function registers lazily (src/sample_api/__init__.py).
POWERTOOLS_PACKAGES = POWERTOOLS_REEXPORTING
# Registers the packages (lazily, or by importing them), then describes each: its exports as
# "module.qualname", its __all__, and the sibling modules loaded before any export was used.
_EXPORTS = """
import importlib, json, sys
from shared.lazy import lazy_exports, reexports
lazy, names = sys.argv[1] == "lazy", json.loads(sys.argv[2])
registered = {name: lazy_exports(name) if lazy else False for name in names}
packages = {name: importlib.import_module(name) for name in names}
siblings = {name: sorted(m for m in sys.modules if m.startswith(name + ".")) for name in names}
found = {}
for name, package in packages.items():
    exports = reexports(open(package.__file__).read())
    objects = {key: getattr(package, key) for key in exports if key != "__all__"}
    found[name] = {
        "registered": registered[name],
        "siblings_before": siblings[name],
        "all": list(getattr(package, "__all__", [])),
        "exports": {k: v.__module__ + "." + v.__qualname__ for k, v in objects.items()},
    }
print(json.dumps(found))
"""


def _exports(mode: str) -> dict[str, dict[str, object]]:
    result = subprocess.run(
        [sys.executable, "-c", _EXPORTS, mode, json.dumps(POWERTOOLS_PACKAGES)],
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found: dict[str, dict[str, object]] = json.loads(result.stdout)
    return found


def test_the_powertools_package_inits_sample_api_skips_only_re_export() -> None:
    # A new Powertools that puts code in one of them fails here (and lazy_exports then leaves
    # it to Python, so the cold-start test sees its imports come back).
    for name in POWERTOOLS_PACKAGES:
        module = sys.modules.get(name) or __import__(name, fromlist=["_"])
        assert reexports(Path(str(module.__file__)).read_text(encoding="utf-8")) is not None, name


def test_a_lazy_package_exports_what_its_init_would_loading_nothing_beforehand() -> None:
    lazy, real = _exports("lazy"), _exports("real")
    for name in POWERTOOLS_PACKAGES:
        assert lazy[name]["registered"] is True, name
        assert lazy[name]["exports"] == real[name]["exports"], name
        assert lazy[name]["all"] == real[name]["all"], name
        # Registered without running the __init__: only a parent package's own imports ran.
        assert real[name]["siblings_before"], name
    data_classes = lazy["aws_lambda_powertools.utilities.data_classes"]["siblings_before"]
    assert data_classes == []


def _package(root: Path, init: str) -> str:
    package = root / "probe_pkg"
    package.mkdir()
    (package / "__init__.py").write_text(init, encoding="utf-8")
    (package / "leaf.py").write_text("VALUE = 1\nLOADED = True\n", encoding="utf-8")
    return "probe_pkg"


def test_a_package_whose_init_does_more_is_left_to_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    name = _package(tmp_path, "from .leaf import VALUE\nSIDE_EFFECT = print\n")
    monkeypatch.delitem(sys.modules, name, raising=False)
    assert lazy_exports(name) is False
    assert name not in sys.modules


def test_a_lazy_package_loads_a_name_from_its_module_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    name = _package(
        tmp_path, '"""Docs."""\nfrom .leaf import VALUE as value\n__all__ = ["value"]\n'
    )
    for module in (name, f"{name}.leaf"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    assert lazy_exports(name) is True
    package: ModuleType = sys.modules[name]
    assert f"{name}.leaf" not in sys.modules
    assert (package.value, package.__all__) == (1, ["value"])
    assert f"{name}.leaf" in sys.modules
    with pytest.raises(AttributeError):
        _ = package.missing


def test_a_lazy_module_is_imported_on_first_attribute_access(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "probe_lazy.py").write_text("VALUE = 2\n", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "probe_lazy", raising=False)
    module = LazyModule("probe_lazy")
    assert "probe_lazy" not in sys.modules
    assert module.VALUE == 2
    assert sys.modules["probe_lazy"].VALUE == 2
