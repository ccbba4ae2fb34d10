"""The benchmark's plumbing: options, the `Bench` context the scenarios share, and CPU accounting.

Why separate from scenarios.py: the scenarios should read as "send this, expect that"; how a phase is
driven in the driver process, matched against the fakes' recorded calls, timed and CPU-accounted lives here.
"Noise" is the share of the cores used by processes outside the set-up while a phase ran: this machine is
shared, and a number taken while something else was busy should say so.
"""

from __future__ import annotations

import os
import random
import threading
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import driver
from benchmarks.driver import Result, Stream
from benchmarks.report import Summary, Table, Target
from benchmarks.stack import Stack, wait_until


@dataclass
class Options:
    quick: bool
    duration: float  # seconds per open-loop phase
    rates: list[int]  # scenario 1 (and the floor)
    extra_rates: list[int]  # scenario 6 only
    provider_latency: float
    heavy_tail: bool
    rss_requests: int
    users: int = 20
    warmup: int = 200  # /meet requests that warm up each server before anything is measured
    drain: float = 10.0  # longest wait for calls to arrive at the fakes after a phase


@dataclass
class MeetRun:
    rate: int
    results: list[Result]
    ack: Summary
    missed: int
    views_open: Summary | None = None
    views_missing: int = 0
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU per request: server, fakes, driver
    busy: float = 0.0  # share of all cores the three used while the phase ran
    others: float = 0.0  # share of all cores anything else on the machine used meanwhile (noise)

    @property
    def ok(self) -> bool:
        """Scenario 6's bar: ack p99 < 300 ms and no ack missed."""
        return self.ack.p99 < 300 and self.missed == 0

    @property
    def lag_ms(self) -> float:
        """The driver's worst lateness against its schedule (large: the offered rate was not met)."""
        return max((r.sent - r.scheduled for r in self.results if r.sent), default=0.0) * 1000


@dataclass
class Bench:
    stack: Stack
    pool: Executor
    opts: Options
    view: dict = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    meet_runs: dict[int, MeetRun] = field(default_factory=dict)
    floor_urls: dict[str, str] = field(default_factory=dict)
    floor_runs: dict[tuple[str, int], MeetRun] = field(default_factory=dict)
    driver_pid: int = 0
    last_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per process in the last phase
    noise: list[float] = field(default_factory=list)  # per phase: share of the cores other processes used
    _tags: int = 0

    # -- plumbing ------------------------------------------------------------------------------------

    def tag(self, kind: str) -> str:
        self._tags += 1
        return f"p{self._tags}{kind}"

    def url(self, base: str | None = None) -> str:
        return f"{base or self.stack.base_url}/slack/events"

    def drive(self, streams: list[Stream], base: str | None = None) -> list[Result]:
        """Run one open-loop phase; also records CPU use during it (see `last_cpu`, `noise`)."""
        longest = max(s.count / s.rate if s.rate else 0 for s in streams)
        before, t = self.cpu(), time.monotonic()
        results = self.pool.submit(driver.open_loop, self.url(base), streams).result(timeout=longest + 60)
        elapsed, after = time.monotonic() - t, self.cpu()
        self.last_cpu = {k: after[k] - before[k] for k in after}
        self.last_cpu["elapsed"] = elapsed
        self.noise.append(max(0.0, self.last_cpu["others"]) / (elapsed * (os.cpu_count() or 1)))
        return results

    def noise_note(self, since: int) -> str:
        """A table note: how much of the cores other processes on the machine took during its phases."""
        shares = self.noise[since:] or [0.0]
        return (f"noise check: other processes on the machine used up to {max(shares):.0%} of the cores during "
                "these phases.")

    def meet(self, tag: str, rate: float, count: int) -> Stream:
        return Stream("meet", tag, rate, count, response_url=self.stack.slack.response_url("bench"))

    def submit(self, tag: str, rate: float, count: int, provider: str = "jitsi",
               mix: tuple[str, ...] = ("valid",)) -> Stream:
        return Stream("submit", tag, rate, count, view=self.view, mix=mix, provider=provider)

    def count(self, rate: float, seconds: float | None = None) -> int:
        return max(1, round(rate * (seconds or self.opts.duration)))

    def arrivals(self, method: str, keys: set[str], timeout: float) -> dict[str, float]:
        """key -> Call.at of the first `method` call for each key (trigger_id, or the posted title)."""
        found: dict[str, float] = {}

        def scan() -> bool:
            for call in self.stack.slack.calls(method):
                key = _key(method, call.body)
                if key in keys and key not in found:
                    found[key] = call.at
            return len(found) >= len(keys)

        wait_until(scan, timeout, interval=0.1)
        return found

    def followed(self, results: list[Result], method: str, timeout: float | None = None) -> tuple[Summary, int]:
        """Request sent → `method` received for every acked request in `results`; (summary, how many never)."""
        sent = {r.key: r.sent for r in results if r.status == 200 and not r.field_errors}
        seen = self.arrivals(method, set(sent), self.opts.drain if timeout is None else timeout)
        return Summary.of([seen[k] - sent[k] for k in seen]), len(sent) - len(seen)

    def ack_row(self, table: Table, load: str, metric: str, results: list[Result], extra_bad: int = 0,
                extra: tuple = ()) -> Summary:
        summary = Summary.of([r.latency for r in results if r.latency is not None])
        table.latency_row(load, metric, summary, sum(r.missed for r in results) + extra_bad, *extra)
        return summary

    def settle(self, quiet: float = 0.5, timeout: float = 20.0) -> None:
        """Between phases: wait until meetbot stopped calling the fakes for `quiet` seconds (its backlog
        is done, so it is not charged to the next phase), then forget the recorded calls (memory)."""
        fakes = (self.stack.slack, self.stack.zoom, self.stack.dialpad)
        deadline = time.monotonic() + timeout
        last, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            seen = sum(len(fake.calls()) for fake in fakes)
            if seen != last:
                last, since = seen, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
            time.sleep(0.05)
        for fake in fakes:
            fake.clear()

    def start_floors(self) -> None:
        """Scenario 8's reference servers, started now and warmed up like meetbot, so that each of
        scenario 1's rates can run against them right after meetbot, under the same machine conditions."""
        for name, pbr in (("bare", False), ("pbr", True)):
            url = self.stack.start_floor(name, process_before_response=pbr)
            self.floor_urls[name] = url
            self.drive([self.meet(self.tag("w"), 50, self.opts.warmup)], base=url)
        self.settle()

    def cpu(self) -> dict[str, float]:
        """CPU seconds used so far by each process of the set-up, and by everything else ("others")."""
        if not self.driver_pid:
            self.driver_pid = self.pool.submit(os.getpid).result(timeout=30)
        pids = {"meetbot": self.stack.proc.pid, "fakes": os.getpid(), "driver": self.driver_pid}
        pids.update({f"floor-{name}": proc.pid for name, proc in self.stack.floors.items()})
        used = {name: tree_cpu_seconds(pid) for name, pid in pids.items()}
        used["others"] = machine_busy_seconds() - sum(used.values())
        return used

    def run_meet(self, rate: int, floor: str | None = None) -> MeetRun:
        """`/meet` at `rate` against meetbot, or against floor app `floor` (then without views.open)."""
        base = self.floor_urls[floor] if floor else None
        results = self.drive([self.meet(self.tag("m"), rate, self.count(rate))], base)
        used, n = self.last_cpu, max(1, len(results))
        run = MeetRun(rate, results, Summary.of([r.latency for r in results if r.latency is not None]),
                      sum(r.missed for r in results))
        server = f"floor-{floor}" if floor else "meetbot"
        run.cpu_ms = {"server": used[server] / n * 1000, "fakes": used["fakes"] / n * 1000,
                      "driver": used["driver"] / n * 1000}
        cores = used["elapsed"] * (os.cpu_count() or 1)
        run.busy = (used[server] + used["fakes"] + used["driver"]) / cores
        run.others = self.noise[-1]
        if not floor:
            run.views_open, run.views_missing = self.followed(results, "views.open")
        self.settle()
        return run


def cpu_seconds(pid: int) -> float:
    """utime + stime of `pid` (all its threads), from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU of `pid` and of its live children (`meetbot serve --workers N` forks its workers)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return cpu_seconds(pid) + sum(cpu_seconds(int(child)) for child in children)


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle since boot (/proc/stat), to see what else ran meanwhile."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _key(method: str, body: dict) -> str | None:
    if method == "views.open":
        return body.get("trigger_id")
    return str(body.get("text") or "").split(" — ")[0]  # a meeting post's text: "<title> — <when> — join: <url>"


class HeavyTail:
    """Re-draws the providers' create delay every 50 ms: 90 % base, 9 % 4× base, 1 % 2 s.

    The fakes hold one delay per route, so this varies it over time rather than per request: requests
    arriving in the same 50 ms window share a draw. Cheap, and enough to show what a slow tail does."""

    def __init__(self, stack: Stack, base: float) -> None:
        self.stack, self.base = stack, base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heavy-tail", daemon=True)

    def _run(self) -> None:
        draw = random.Random(7)
        while not self._stop.wait(0.05):
            roll = draw.random()
            self.stack.set_provider_latency(2.0 if roll < 0.01 else 4 * self.base if roll < 0.10 else self.base)

    def __enter__(self) -> "HeavyTail":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.stack.set_provider_latency(self.base)
