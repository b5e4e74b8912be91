"""Run every benchmark module (bench/bench_*.py), or those named: `python -m bench api import`."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(selected: list[str]) -> int:
    names = sorted(path.stem for path in Path(__file__).parent.glob("bench_*.py"))
    if selected:
        names = [name for name in names if name.removeprefix("bench_") in selected]
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        module = importlib.import_module(f"bench.{name}")
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
