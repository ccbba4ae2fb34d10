"""Parser benchmark: meetbot's `parse_when` beside plain `dateparser.parse`, on the same phrases.

    python benchmarks/bench_parse.py [--rounds N]

Prints, for the corpus in benchmarks/phrases.txt: median and p99 microseconds per phrase warm, and the cost of
the first parse in a fresh process (imports included), for both. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHRASES = [line for line in (HERE / "phrases.txt").read_text().splitlines() if line.strip()]
NOW = datetime(2026, 11, 18, 14, 0)
FIRST_PHRASE = "Design review tomorrow 3pm for 45m"

FRESH_MEETBOT = f"""
import time; t = time.perf_counter()
from datetime import datetime
from bot.timeparse import parse_when
parse_when({FIRST_PHRASE!r}, "Europe/London", datetime(2026, 11, 18, 14))
print((time.perf_counter() - t) * 1000)
"""
FRESH_DATEPARSER = f"""
import time; t = time.perf_counter()
import dateparser
dateparser.parse({FIRST_PHRASE!r})
print((time.perf_counter() - t) * 1000)
"""


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def warm(parse, rounds: int) -> list[float]:
    for phrase in PHRASES:  # warm-up pass
        parse(phrase)
    samples = []
    for _ in range(rounds):
        for phrase in PHRASES:
            start = time.perf_counter_ns()
            parse(phrase)
            samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def fresh(code: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=HERE.parent)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="timed passes over the corpus (default 20)")
    args = parser.parse_args()

    import dateparser

    from bot.errors import ParseError
    from bot.timeparse import parse_when

    def ours(phrase: str) -> None:
        try:
            parse_when(phrase, "Europe/London", NOW)
        except ParseError:
            pass

    ours_samples = warm(ours, args.rounds)
    theirs_samples = warm(dateparser.parse, max(1, args.rounds // 4))
    rows = [
        ("meetbot parse_when", ours_samples, fresh(FRESH_MEETBOT)),
        ("dateparser.parse (defaults)", theirs_samples, fresh(FRESH_DATEPARSER)),
    ]
    print(f"{len(PHRASES)} phrases, {sys.version.split()[0]}")
    print("| parser | warm median µs | warm p99 µs | first parse in a fresh process (import included) ms |")
    print("|---|---:|---:|---:|")
    for name, samples, first in rows:
        print(f"| {name} | {statistics.median(samples):,.0f} | {percentile(samples, 99):,.0f} | {first:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
