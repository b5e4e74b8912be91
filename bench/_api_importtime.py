"""Where a handler's import time goes, from `python -X importtime` (self time, summed)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

TOP = 12


def print_import_offenders(env: dict[str, str], module: str) -> None:
    """Print the module's self import time by distribution, and the heaviest single modules."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    modules: list[tuple[int, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = line.removeprefix("import time:").split("|")
        modules.append((int(self_us), name.strip()))
    by_package: Counter[str] = Counter()
    for self_us, name in modules:
        by_package[name.split(".")[0]] += self_us
    total = sum(by_package.values())
    print(f"python -X importtime -c 'import {module}': {total / 1000:.1f} ms in all")
    print("  self time by top-level package:")
    for package, self_us in by_package.most_common(TOP):
        print(f"    {package:34} {self_us / 1000:7.1f} ms  {self_us / total:5.1%}")
    print("  heaviest modules (self time):")
    for self_us, name in sorted(modules, reverse=True)[:TOP]:
        print(f"    {name:50} {self_us / 1000:7.1f} ms")
