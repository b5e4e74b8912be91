"""Figures of a load run, the marked section of docs/benchmarks.md, and its plot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from bench._load_client import Sample
    from bench._load_import import Imported

BEGIN, END = "<!-- bench_load:begin -->", "<!-- bench_load:end -->"


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of the values (0.0 when there are none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


@dataclass(frozen=True)
class Figures:
    """Rate, latency and errors of the requests that started within one window."""

    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.rate:7.0f} req/s  p50 {self.p50_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms  "
            f"errors {self.errors} of {self.requests} in {self.seconds:.1f} s"
        )


def figures(samples: Sequence[Sample], start: float = 0.0, end: float | None = None) -> Figures:
    """The figures of the samples that started in [start, end)."""
    inside = [s for s in samples if s.start >= start and (end is None or s.start < end)]
    if end is None:
        end = max((s.start + s.latency for s in inside), default=start)
    latencies = [s.latency * 1000 for s in inside]
    return Figures(
        requests=len(inside),
        errors=sum(not s.ok for s in inside),
        seconds=end - start,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
    )


def write_section(doc: Path, body: str) -> None:
    """Replace the marked section of the document (append the markers when absent)."""
    text = doc.read_text("utf-8") if doc.exists() else ""
    section = f"{BEGIN}\n{body.rstrip()}\n{END}"
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = f"{text.rstrip()}\n\n{section}\n".lstrip()
    doc.write_text(text, "utf-8")


def per_second(samples: Sequence[Sample]) -> tuple[list[float], list[float], list[float]]:
    """Seconds, p50 and p99 (ms) of the requests that started in each whole second."""
    buckets: dict[int, list[float]] = {}
    for sample in samples:
        buckets.setdefault(int(sample.start), []).append(sample.latency * 1000)
    seconds = sorted(buckets)
    return (
        [s + 0.5 for s in seconds],
        [percentile(buckets[s], 0.50) for s in seconds],
        [percentile(buckets[s], 0.99) for s in seconds],
    )


def plot(path: Path, runs: Sequence[tuple[str, Sequence[Sample], Imported]]) -> None:
    """Per run, latency per second without and with the import; then the imports' progress."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(len(runs) + 1, 1, figsize=(10, 3.2 * (len(runs) + 1)), sharex=True)
    for axis, (title, alone, loaded) in zip(axes, runs, strict=False):
        for samples, label, colour in (
            (alone, "no import", "tab:blue"),
            (loaded.samples, "with import", "tab:red"),
        ):
            t, p50, p99 = per_second(samples)
            axis.plot(t, p99, color=colour, label=f"p99, {label}")
            axis.plot(t, p50, color=colour, linestyle=":", label=f"p50, {label}")
        axis.axvspan(*loaded.window, color="tab:orange", alpha=0.12, label="import running")
        axis.set_title(title, fontsize=10)
        axis.set_ylabel("latency per second (ms)")
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
        axis.legend(loc="upper right", fontsize=7, ncol=3)
    progress, size_axis = axes[-1], axes[-1].twinx()
    for (title, _, loaded), style in zip(runs, ("-", "--"), strict=False):
        if not loaded.progress:
            continue
        name = title.split(",")[0]
        t = [point[0] for point in loaded.progress]
        first = loaded.progress[0]  # what earlier runs left in the table
        size = [(point[1] - first[1]) / 2**20 for point in loaded.progress]
        users = [(point[2] - first[2]) / 1000 for point in loaded.progress]
        size_axis.plot(t, size, "tab:green", linestyle=style, label=f"table growth, MB ({name})")
        progress.plot(t, users, "tab:purple", linestyle=style, label=f"users added ({name})")
    progress.set_title(
        "the imports: users table grows as rows go in; users become visible at the commit",
        fontsize=10,
    )
    size_axis.set_ylabel("MB (heap + indexes)")
    size_axis.set_ylim(bottom=0)
    size_axis.legend(loc="center right", fontsize=7)
    progress.set_ylabel("thousand rows")
    progress.set_xlabel("seconds since the run began (upload at 5 s)")
    progress.grid(alpha=0.3)
    progress.legend(loc="center left", fontsize=7)
    figure.suptitle("Local gateway, GET/GET/POST mix: alone and during a 1 M-row import")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
