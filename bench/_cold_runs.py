"""Whole-process cold starts, measured interleaved, and the one-line verdict on a target."""

from __future__ import annotations

import os
import statistics
import subprocess
import time

RUNS = int(os.environ.get("BENCH_COLD_RUNS", "15"))
Commands = dict[str, tuple[list[str], dict[str, str]]]  # name -> (argv, environment)


def run_interleaved(commands: Commands, bare: str) -> dict[str, float]:
    """Each command RUNS times, in turn (load drift hits them alike); prints the medians (ms).

    A command that prints "<import ms> <first request ms>" gets them shown beside its total.
    """
    totals: dict[str, list[float]] = {name: [] for name in commands}
    phases: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, (command, command_env) in commands.items():
            started = time.perf_counter()
            result = subprocess.run(
                command, env=command_env, capture_output=True, text=True, check=True
            )
            totals[name].append((time.perf_counter() - started) * 1000)
            if result.stdout.strip():
                imported, answered = result.stdout.split()
                phases[name].append((float(imported), float(answered)))
    medians = {name: statistics.median(values) for name, values in totals.items()}
    for name, median in medians.items():
        line = f"  {name:28} {median:8.1f}   {median / medians[bare]:5.2f}x bare"
        if phases[name]:
            imports = statistics.median(p[0] for p in phases[name])
            first = statistics.median(p[1] for p in phases[name])
            line += f"   (imports {imports:6.1f}, first GET /users {first:5.1f})"
        print(line)
    return medians


def verdict(what: str, ratio: float, target: float) -> None:
    """One line per target: met or NOT met, with the ratio measured."""
    outcome = "met" if ratio <= target else "NOT met"
    print(f"  target: {what} <= {target:.2f}x bare: {outcome} ({ratio:.2f}x)")
