"""Parser benchmark: meetbot's `parse_when` beside plain `dateparser.parse`, on the same phrases.

    python benchmarks/bench_parse.py [--rounds N]

Prints, for the corpus in benchmarks/phrases.txt: median and p99 microseconds per phrase warm, and the cost of
the first parse in a fresh process (imports included), for both; then the slowest phrase of the corpus, and a
pathological-input section (long digit runs, repeated keywords, 500 characters of mixed tokens) with the time per
input at three lengths, so a scan that is not linear shows as a ratio well above 2 per doubling.
Not a test: numbers depend on the machine (run it when the machine is quiet).
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


MIXED_TOKENS = (
    "tomorrow 3pm at 10 every monday for 45m in 2 hours 12/3 dec 3 - to until 9:30 noon PT CET 1h30 quarter past "
    "half tmrw ~4 3ish 1400 14h30 weekdays through january"
).split()


def pathological(length: int) -> dict[str, str]:
    """Inputs that stress a scanner: each built to exactly `length` characters (the parser caps input at 500)."""
    import random

    rng = random.Random(length)
    mixed = " ".join(rng.choice(MIXED_TOKENS) for _ in range(length))
    shapes = {
        "digit run": "9" * length,
        "spaced digits": "1 " * length,
        "dashed digits": "1-2-" * length,
        "colon digits": "1:2" * length,
        "repeated 'tomorrow'": "tomorrow " * length,
        "repeated 'every'": "every " * length,
        "repeated 'at'": "at " * length,
        "repeated '3pm'": "3pm " * length,
        "repeated 'quarter past'": "quarter past " * length,
        "typos 'tmrrw thrsday'": "tmrrw thrsday " * length,
        "mixed tokens": mixed,
        "plain words": "lorem ipsum " * length,
    }
    return {name: text[:length] for name, text in shapes.items()}


def best_of(parse, text: str, runs: int) -> float:
    """Fastest of `runs` parses in µs: the cost of the input itself, with the machine's noise taken out."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter_ns()
        parse(text)
        best = min(best, (time.perf_counter_ns() - start) / 1000)
    return best


def worst_phrase(parse, rounds: int) -> tuple[str, float]:
    """The corpus phrase with the highest median time over `rounds` parses."""
    medians = {}
    for phrase in PHRASES:
        times = []
        for _ in range(rounds):
            start = time.perf_counter_ns()
            parse(phrase)
            times.append((time.perf_counter_ns() - start) / 1000)
        medians[phrase] = statistics.median(times)
    phrase = max(medians, key=medians.__getitem__)
    return phrase, medians[phrase]


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
    phrase, micros = worst_phrase(ours, max(5, args.rounds // 2))
    print(f"\nslowest corpus phrase (median of its parses): {micros:,.0f} µs  {phrase!r}")
    print("\npathological inputs, best of 7 warm parses, µs (125 / 250 / 500 characters; 500 is the input cap)")
    print("| input | 125 | 250 | 500 | 500÷250 |")
    print("|---|---:|---:|---:|---:|")
    worst = ("", 0.0)
    by_length = {length: pathological(length) for length in (125, 250, 500)}
    for name in by_length[500]:
        cost = [best_of(ours, by_length[length][name], 7) for length in (125, 250, 500)]
        print(f"| {name} | {cost[0]:,.0f} | {cost[1]:,.0f} | {cost[2]:,.0f} | {cost[2] / cost[1]:.1f} |")
        worst = max(worst, (name, cost[2]), key=lambda item: item[1])
    print(f"\nworst input: {worst[0]} at 500 characters, {worst[1] / 1000:.2f} ms (target ≤ 5 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
