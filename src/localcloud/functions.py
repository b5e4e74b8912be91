"""One function's execution environment, in this process: load, invoke, reload on change.

In Lambda every function ships its own copy of the shared package in its own zip, and each
execution environment runs one invocation at a time. Here several functions may live in one
process (the API functions, in the gateway's), so each gets its own copy of its package and
of `shared` (settings, connection, logger are module state), and a lock that serialises its
invocations. sys.modules is left as it was, but for new modules of the function's own
package; a module a function imports lazily from `shared` at call time is therefore the
process's copy, which reads the process's variables (a ProcessHost makes the function's
variables its process's).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localcloud.context import LocalContext
from localcloud.failures import FailedMessages

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from types import ModuleType

# Importing a function swaps sys.modules and os.environ for a moment: one import at a time.
_IMPORT_LOCK = threading.Lock()
SHARED_PACKAGE = "shared"


@dataclass
class Invocation:
    """What one invocation returned or raised, and how long it took."""

    result: Any
    error: BaseException | None
    duration_ms: float
    init_ms: float | None  # set on a cold start: the time spent importing the function
    failures: dict[str, str] = field(default_factory=dict)  # SQS message id -> why it failed

    @property
    def cold(self) -> bool:
        return self.init_ms is not None


@dataclass
class FunctionHost:
    """A function's handler, imported on first use and re-imported when its code changes."""

    name: str
    handler: str  # "package.module.function", like Lambda's handler setting
    watch: tuple[Path, ...]  # folders whose *.py files trigger a reload when they change
    env: Mapping[str, str] = field(default_factory=dict)  # variables only this function sees
    timeout_seconds: float = 30.0
    memory_mb: int = 512
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _modules: dict[str, ModuleType] = field(default_factory=dict, init=False, repr=False)
    _entry: Callable[[Any, Any], Any] | None = field(default=None, init=False, repr=False)
    _sources: dict[Path, int] = field(default_factory=dict, init=False, repr=False)

    def invoke(self, event: Any) -> Invocation:
        """Run the handler once with a fresh Lambda-like context, reloading it first if stale."""
        with self._lock:
            start = time.perf_counter()
            init_ms = None
            failed = FailedMessages(self.env.get("POWERTOOLS_SERVICE_NAME", self.name))
            try:  # a crash, at import or in the handler, is a result to report: Lambda goes on
                init_ms = self._ensure_loaded()
                if self._entry is None:
                    raise RuntimeError(f"{self.handler} did not load")
                context = LocalContext(
                    self.name,
                    timeout_seconds=self.timeout_seconds,
                    memory_limit_in_mb=self.memory_mb,
                )
                start = time.perf_counter()
                with failed.attached():
                    result, error = self._entry(event, context), None
            except Exception as exc:
                result, error = None, exc
            duration_ms = (time.perf_counter() - start) * 1000
            return Invocation(result, error, duration_ms, init_ms, failed.reasons)

    def unload(self) -> None:
        """Forget the imported code and close the connection its copy of `shared` holds."""
        db = self._modules.get(f"{SHARED_PACKAGE}.db")
        close = getattr(db, "close", None)
        if callable(close):
            close()
        for name, module in self._modules.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        self._modules, self._entry = {}, None

    def _ensure_loaded(self) -> float | None:
        sources = _source_mtimes(self.watch)
        if self._entry is not None and sources == self._sources:
            return None
        self.unload()
        _drop_stale_bytecode(sources, self._sources)
        start = time.perf_counter()
        self._entry, self._modules = _import_isolated(self.handler, self.env)
        self._sources = sources
        return (time.perf_counter() - start) * 1000


def _owned(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


def _import_isolated(
    handler: str, env: Mapping[str, str]
) -> tuple[Callable[[Any, Any], Any], dict[str, ModuleType]]:
    """Import the handler with fresh copies of its package and `shared`, under its own env."""
    module_name, _, attribute = handler.rpartition(".")
    packages = (module_name.partition(".")[0], SHARED_PACKAGE)
    with _IMPORT_LOCK:
        saved = {
            name: sys.modules.pop(name) for name in list(sys.modules) if _owned(name, packages)
        }
        saved_env = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        try:
            _reset_powertools_cold_start()
            module = importlib.import_module(module_name)
            entry = getattr(module, attribute)
            settings = sys.modules.get(f"{SHARED_PACKAGE}.settings")
            if settings is not None:  # read this function's settings while its env is set
                settings.get_settings()
        finally:
            for name, value in saved_env.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            # A snapshot: other threads import modules meanwhile (a dict must not change size
            # while it is iterated).
            current = list(sys.modules.items())
            modules = {name: mod for name, mod in current if _owned(name, packages)}
            # Leave the process's own modules as they were: code outside the function (tests,
            # tools, the other function's lazy imports) keeps one stable copy of `shared`.
            for name in modules:
                if name in saved or _owned(name, (SHARED_PACKAGE,)):
                    del sys.modules[name]
            sys.modules.update(saved)
    return entry, modules


def _reset_powertools_cold_start() -> None:
    # Powertools keeps its cold-start flag in a module global; a new environment starts cold.
    logger_module = sys.modules.get("aws_lambda_powertools.logging.logger")
    if logger_module is not None:
        setattr(logger_module, "is_cold_start", True)  # noqa: B010


def _source_mtimes(folders: tuple[Path, ...]) -> dict[Path, int]:
    """Every Python file under the folders with its mtime (a scan of ~50 files is ~0.2 ms)."""
    found = {}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [name for name in dirs if name != "__pycache__"]
            for file in files:
                if file.endswith(".py"):
                    path = Path(root) / file
                    found[path] = path.stat().st_mtime_ns
    return found


def _drop_stale_bytecode(now: dict[Path, int], before: dict[Path, int]) -> None:
    # A .pyc is checked against its source's mtime in whole seconds and its size: an edit
    # within the same second that keeps the size would otherwise load the old code.
    for path, mtime in now.items():
        if before and before.get(path) != mtime:
            Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
    importlib.invalidate_caches()  # new files must be found, whatever the folder's mtime
