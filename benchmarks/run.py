"""Measure meetbot the way Slack loads it, and print the results as Markdown.

    .venv/bin/python benchmarks/run.py            # full run, about 4 minutes
    .venv/bin/python benchmarks/run.py --quick    # smoke run, under a minute
    .venv/bin/python benchmarks/run.py --out results.md
    .venv/bin/python benchmarks/run.py --db postgres --processes 2   # embedded PostgreSQL, 2 workers

`meetbot serve` runs as a subprocess exactly as a user starts it, against the test fakes of Slack, Zoom and
Dialpad (threads in this process, 127.0.0.1 only), with a fresh database; Zoom and Dialpad are linked for
user U1 through the real OAuth routes. Load comes from a separate driver process (see driver.py for why).
Progress goes to stderr, the Markdown to stdout (and to --out). Everything started is stopped on exit.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import re
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root: `bot`, `tests`, `benchmarks`

from benchmarks import driver, scenarios  # noqa: E402
from benchmarks.report import render  # noqa: E402
from benchmarks.bench import Bench, Options  # noqa: E402
from benchmarks.stack import Stack  # noqa: E402


def options(args: argparse.Namespace) -> Options:
    if args.quick:
        return Options(quick=True, duration=2.0, rates=[10, 100], extra_rates=[], provider_latency=args.provider_latency,
                       heavy_tail=args.heavy_tail, rss_requests=2000, drain=5.0, warmup=50)
    return Options(quick=False, duration=5.0, rates=[10, 50, 100, 200], extra_rates=[300, 400],
                   provider_latency=args.provider_latency, heavy_tail=args.heavy_tail, rss_requests=10_000)


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def header(opts: Options, started: datetime, db: str = "sqlite", processes: int = 1) -> list[str]:
    mode = "--quick" if opts.quick else "default"
    database = "fresh SQLite DB" if db == "sqlite" else "a fresh database on an embedded PostgreSQL 18 on the same machine"
    return [
        "## Slack-facing load (`benchmarks/run.py`)",
        "",
        f"Run on {started:%Y-%m-%d %H:%M}, {platform.platform()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}; mode {mode} "
        f"({opts.duration:g} s per open-loop phase).",
        "",
        f"Set-up: `python -m bot serve --host 127.0.0.1 --workers {processes}` (waitress, 16 threads per process, "
        f"{database}) as a subprocess; fake "
        f"Slack, Zoom and Dialpad (tests/fakes) in the benchmark process; Zoom/Dialpad create latency "
        f"{opts.provider_latency * 1000:.0f} ms; load from one asyncio + httpx driver process, open loop "
        "(send times fixed up front) unless said otherwise. Server, fakes and driver share the same "
        f"{os.cpu_count()} cores. An ack is missed when it is not a 200, takes over 3 s, or never comes.",
    ]


def warm_up(b: Bench) -> float:
    """Modal, parser and provider clients used once each, so no phase pays a first call; the RSS after."""
    b.drive([b.meet(b.tag("w"), 50, b.opts.warmup)])
    for provider in ("jitsi", "zoom", "dialpad"):
        results = b.drive([b.submit(b.tag("w"), 0, 3, provider=provider)])
        _, never = b.followed(results, "chat.postMessage")
        if never:
            raise RuntimeError(f"warm-up: {never} {provider} meetings never posted (is {provider} linked?)")
    b.settle()
    return b.stack.rss()


def _interrupted(signum: int, frame) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: shorter phases, fewer rates (< 1 minute)")
    parser.add_argument("--out", type=Path, help="also write the Markdown to this file")
    parser.add_argument("--provider-latency", type=float, default=0.15, help="Zoom/Dialpad create latency, s")
    parser.add_argument("--heavy-tail", action="store_true",
                        help="scenario 3: provider latency varies (90%% base, 9%% 4x, 1%% 2 s)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite",
                        help="the store: a fresh SQLite file, or an embedded PostgreSQL started for the run")
    parser.add_argument("--processes", type=int, default=1, help="meetbot serve --workers N (default 1)")
    args = parser.parse_args(argv)
    opts = options(args)
    # SIGTERM (and SIGINT, even where the shell started us with it ignored) unwinds through the cleanup below.
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    started, t0 = datetime.now(), time.monotonic()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="meetbot-bench-")))
        pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=driver.ignore_interrupts))
        pool.submit(driver.ready).result(timeout=60)
        database_url = None
        if args.db == "postgres":
            from tests.pgserver import PostgresServer

            progress("starting an embedded PostgreSQL")
            server = PostgresServer(workdir)
            stack.callback(server.stop)
            database_url = server.new_database()
        served = stack.enter_context(Stack(workdir, opts.provider_latency, database_url, args.processes))
        b = Bench(served, pool, opts)
        progress("starting meetbot serve")
        served.start_meetbot()
        served.link("zoom")
        served.link("dialpad")
        b.view = served.modal_view()
        warm = warm_up(b)
        progress("starting the floor apps")
        b.start_floors()
        steps = [("1/6/8 /meet rates (meetbot, then the floor)", scenarios.meet_rates), ("2 submission mix", scenarios.submission_mix),
                 ("3 link posted", scenarios.link_posted), ("4 token storm", scenarios.token_storm),
                 ("5 provider trouble", scenarios.provider_trouble), ("7 memory", lambda bench: scenarios.memory(bench, warm))]
        for name, step in steps:
            progress(f"scenario {name}")
            step(b)
        scenarios.throughput(b)
        scenarios.floor(b)
    b.tables.sort(key=lambda table: int(re.match(r"\d+", table.title)[0]))
    text = render(header(opts, started, args.db, args.processes), b.tables, b.targets)
    print(text)
    if args.out:
        args.out.write_text(text)
    progress(f"done in {time.monotonic() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt as stop:
        progress(f"interrupted ({stop}): everything started was stopped")
        raise SystemExit(130) from None
