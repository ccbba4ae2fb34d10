"""Percentiles and the Markdown the benchmark prints (kept apart so the scenarios only collect numbers)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of `values`; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """Latencies in ms: p50, p95, p99, max, plus how many values they came from."""

    n: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, seconds: list[float]) -> "Summary":
        ms = [s * 1000 for s in seconds]
        return cls(len(ms), percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), max(ms) if ms else math.nan)


def ms(value: float) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def latency_row(self, load: str, metric: str, summary: Summary, bad: int, *extra: object) -> None:
        self.add(load, metric, summary.n, bad, ms(summary.p50), ms(summary.p95), ms(summary.p99), ms(summary.max), *extra)

    def markdown(self) -> str:
        aligns = ["---" if i < 2 else "---:" for i in range(len(self.headers))]
        lines = [f"### {self.title}", "", "| " + " | ".join(self.headers) + " |", "|" + "|".join(aligns) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        if self.notes:
            lines.append("")
            lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines)


LATENCY_HEADERS = ["load", "metric", "n", "bad", "p50 ms", "p95 ms", "p99 ms", "max ms"]


@dataclass
class Target:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"- {'PASS' if self.ok else 'MISS'} — {self.name}: {self.detail}"


def render(header: list[str], tables: list[Table], targets: list[Target]) -> str:
    parts = ["\n".join(header)]
    parts += [table.markdown() for table in tables]
    parts.append("### Targets\n\n" + "\n".join(t.line() for t in targets)
                 + "\n\n(noise = the share of the cores other processes on the machine used during that phase.)")
    return "\n\n".join(parts) + "\n"
