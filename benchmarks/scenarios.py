"""The benchmark scenarios: each drives traffic, reads what arrived at the fakes, and fills a Markdown table.

Why measured this way: Slack judges an app by two clocks — the HTTP ack (3 s, or the user sees an error) and
what happens after it (a trigger_id lives 3 s, a link should appear promptly). The ack is timed by the
driver; "after" is the time from the request leaving the driver to the fake Slack *receiving* the call
(`Call.at`, the same monotonic clock), i.e. what a user would wait for.
"""

from __future__ import annotations

import os
import time

from benchmarks import driver
from benchmarks.bench import Bench, HeavyTail
from benchmarks.driver import Result
from benchmarks.report import LATENCY_HEADERS, Summary, Table, Target, ms
from benchmarks.stack import wait_until


# -- 1 and 6: /meet at fixed rates ---------------------------------------------------------------------

def meet_rates(b: Bench) -> None:
    table = Table(f"1. `/meet` open loop, {b.opts.duration:g} s per rate", LATENCY_HEADERS)

    def measure(rate: int) -> None:
        run = b.run_meet(rate)
        b.meet_runs[rate] = run
        load = f"{rate}/s" + (" (6)" if rate not in b.opts.rates else "")
        table.latency_row(load, "ack", run.ack, run.missed)
        table.latency_row(load, "request → views.open", run.views_open, run.views_missing)

    for rate in b.opts.rates:
        measure(rate)
        b.floor_runs["bare", rate] = b.run_meet(rate, floor="bare")  # scenario 8, right after ours
        if rate == pbr_rate(b):
            b.floor_runs["pbr", rate] = b.run_meet(rate, floor="pbr")
    for rate in b.opts.extra_rates:  # scenario 6: go higher only while the bar holds
        if not all(run.ok for run in b.meet_runs.values()):
            break
        measure(rate)
    failed = min((r for r, run in b.meet_runs.items() if not run.ok), default=None)
    passed = max((r for r, run in b.meet_runs.items() if run.ok and (failed is None or r < failed)), default=None)
    if b.opts.extra_rates and failed and passed:  # one probe between the last pass and the first miss
        probe = (passed + failed) // 20 * 10
        if passed < probe < failed:
            measure(probe)
    table.rows.sort(key=lambda row: int(row[0].split("/")[0]))
    table.notes = [
        "bad = missed acks (non-200, > 3 s or no answer) / commands whose views.open never arrived "
        f"(waited {b.opts.drain:g} s).",
        "CPU per `/meet` (meetbot / fakes / driver), share of all cores these three kept busy while sending, "
        "and the share other processes on the machine used meanwhile: "
        + "; ".join(f"{r}/s {run.cpu_ms['server']:.1f} / {run.cpu_ms['fakes']:.1f} / {run.cpu_ms['driver']:.1f} ms, "
                    f"{run.busy:.0%}, others {run.others:.0%}" for r, run in sorted(b.meet_runs.items())),
        "(at low rates the per-request CPU includes idle costs, e.g. the fakes' 10 ms poll loops.)",
        "driver lateness against its schedule, worst per rate: "
        + ", ".join(f"{r}/s {ms(run.lag_ms)} ms" for r, run in sorted(b.meet_runs.items())),
    ]
    if b.opts.extra_rates:
        table.notes.append("rows marked (6) serve the throughput search: higher rates are tried only while "
                           "the bar holds, and after a miss one rate between the last pass and the miss.")
    b.tables.append(table)
    at100 = b.meet_runs.get(100)
    if at100:
        b.targets.append(Target("ack p99 ≤ 50 ms at 100/s", at100.ack.p99 <= 50 and at100.missed == 0,
                                f"p99 {ms(at100.ack.p99)} ms, {at100.missed} missed (noise {at100.others:.0%})"))
        b.targets.append(Target("request → views.open p99 ≤ 150 ms at 100/s",
                                at100.views_open.p99 <= 150 and at100.views_missing == 0,
                                f"p99 {ms(at100.views_open.p99)} ms, {at100.views_missing} never opened (noise {at100.others:.0%})"))
    at200 = b.meet_runs.get(200)
    if at200:
        b.targets.append(Target("no missed ack at 200/s", at200.missed == 0,
                                f"{at200.missed} of {len(at200.results)} missed, p99 {ms(at200.ack.p99)} ms (noise {at200.others:.0%})"))


def throughput(b: Bench) -> None:
    table = Table("6. Throughput", ["rate", "ack p99 ms", "missed", "ok (p99 < 300 ms, none missed)"])
    best, held = None, True
    for rate, run in sorted(b.meet_runs.items()):
        table.add(f"{rate}/s", ms(run.ack.p99), run.missed, "yes" if run.ok else "no")
        held = held and run.ok
        best = rate if held else best
    top = max(b.meet_runs)
    verdict = "none" if best is None else f"{best}/s" + (" (the highest tried: the ceiling may be higher)" if best == top else "")
    untried = [r for r in b.opts.extra_rates if r not in b.meet_runs]
    table.notes = [f"highest arrival rate meeting the bar (and every lower rate too): **{verdict}**; runs of table 1."]
    if untried:
        table.notes.append(f"not run: {', '.join(f'{r}/s' for r in untried)} (a lower rate already missed the bar).")
    b.tables.append(table)


# -- 2: submissions, valid / invalid / adversarial -------------------------------------------------------

def submission_mix(b: Bench, rate: int = 50) -> None:
    mark = len(b.noise)
    table = Table(f"2. view_submission mix at {rate}/s, {b.opts.duration:g} s", LATENCY_HEADERS)
    results = b.drive([b.submit(b.tag("s"), rate, b.count(rate), mix=("valid", "invalid", "adversarial"))])
    for variant, label in (("valid", "valid"), ("invalid", 'invalid ("someday")'), ("adversarial", "5,000-char `when`")):
        mine = [r for r in results if r.variant == variant]
        wrong = sum(1 for r in mine if r.status == 200 and r.field_errors != (variant != "valid"))
        b.ack_row(table, f"{rate}/s total", f"ack, {label}", mine, wrong)
    table.notes = ["bad = missed acks plus wrong validation outcomes (a valid form refused, or an invalid one "
                   "accepted); ack includes parsing and validation (errors are answered inside the ack)."]
    table.notes.append(b.noise_note(mark))
    b.tables.append(table)
    b.settle()


# -- 3: submission → link posted, per provider -----------------------------------------------------------

def link_posted(b: Bench, rate: int = 10) -> None:
    mark = len(b.noise)
    lat = b.opts.provider_latency
    tail = " with a heavy tail (90 % base, 9 % 4×, 1 % 2 s)" if b.opts.heavy_tail else ""
    table = Table(f"3. Submission → link posted, {rate}/s for {b.opts.duration:g} s each "
                  f"(Zoom/Dialpad create latency {lat * 1000:.0f} ms{tail})", LATENCY_HEADERS)
    for provider, label in (("jitsi", "Jitsi"), ("zoom", "Zoom"), ("dialpad", "Dialpad")):
        streams = [b.submit(b.tag(provider[0]), rate, b.count(rate), provider=provider)]
        if b.opts.heavy_tail and provider != "jitsi":
            with HeavyTail(b.stack, lat):
                results = b.drive(streams)
                posted, never = b.followed(results, "chat.postMessage")
        else:
            results = b.drive(streams)
            posted, never = b.followed(results, "chat.postMessage")
        b.ack_row(table, label, "ack", results)
        table.latency_row(label, "submission → chat.postMessage", posted, never)
        budget = (0 if provider == "jitsi" else lat) * 1000 + 100
        if not b.opts.heavy_tail:
            b.targets.append(Target(f"{label}: submission → link posted p99 ≤ provider latency + 100 ms "
                                    f"({budget:.0f} ms)", posted.p99 <= budget and never == 0,
                                    f"p99 {ms(posted.p99)} ms, {never} never posted (noise {b.noise[-1]:.0%})"))
        b.settle()
    table.notes = ["bad = missed acks / meetings never posted (waited "
                   f"{b.opts.drain:g} s). Jitsi makes no provider call: its row is meetbot's own overhead."]
    if b.opts.heavy_tail:
        table.notes.append("with --heavy-tail the 'provider latency + 100 ms' targets are not judged.")
    table.notes.append(b.noise_note(mark))
    b.tables.append(table)


# -- 4: Zoom token-expiry storm ---------------------------------------------------------------------------

def token_storm(b: Bench, n: int = 50) -> None:
    mark = len(b.noise)
    zoom = b.stack.zoom
    refreshes, invalid = zoom.refresh_count, zoom.invalid_grant_count
    zoom.expire_access_tokens()
    results = b.drive([b.submit(b.tag("t"), 0, n, provider="zoom")])
    posted, never = b.followed(results, "chat.postMessage", timeout=max(b.opts.drain, 20))
    refreshed, rejected = zoom.refresh_count - refreshes, zoom.invalid_grant_count - invalid
    table = Table(f"4. Zoom token-expiry storm: every access token expired, then {n} Zoom submissions at once",
                  LATENCY_HEADERS + ["refreshes", "invalid_grant"])
    ack = Summary.of([r.latency for r in results if r.latency is not None])
    table.latency_row(f"{n} at once", "ack", ack, sum(r.missed for r in results), "", "")
    table.latency_row(f"{n} at once", "submission → chat.postMessage", posted, never, refreshed, rejected)
    table.notes = [f"posted {posted.n} of {n}; refresh_token grants {refreshed} (expect 1: single-flight), "
                   f"invalid_grant {rejected} (expect 0: no one used a rotated-away refresh token)."]
    table.notes.append(b.noise_note(mark))
    b.tables.append(table)
    b.targets.append(Target("token storm: one refresh, no invalid_grant, all posted",
                            refreshed == 1 and rejected == 0 and never == 0,
                            f"{refreshed} refresh, {rejected} invalid_grant, {posted.n}/{n} posted"))
    b.settle()


# -- 5: a slow provider, then a 429 storm, must not slow acks or views.open ------------------------------

def _meets_and_zoom_submissions(b: Bench, meet_rate: int, zoom_rate: int) -> tuple[list, list]:
    """Drive `/meet` and Zoom submissions together, open loop; return each one's results."""
    meet, sub = b.meet(b.tag("m"), meet_rate, b.count(meet_rate)), b.submit(b.tag("z"), zoom_rate, b.count(zoom_rate), "zoom")
    results = b.drive([meet, sub])
    return [r for r in results if r.tag == meet.tag], [r for r in results if r.tag == sub.tag]


def provider_trouble(b: Bench, meet_rate: int = 50, zoom_rate: int = 20) -> None:
    mark = len(b.noise)
    zoom = b.stack.zoom
    d = b.opts.duration
    table = Table(f"5. Provider trouble: `/meet` at {meet_rate}/s + Zoom submissions at {zoom_rate}/s, {d:g} s each",
                  LATENCY_HEADERS + ["outcome"])

    # 5a: Zoom create takes 2 s.
    zoom.delay("create", 2.0)
    try:
        meets, subs = _meets_and_zoom_submissions(b, meet_rate, zoom_rate)
        opened, unopened = b.followed(meets, "views.open")
        posted, never = b.followed(subs, "chat.postMessage", timeout=30)
    finally:
        b.stack.set_provider_latency(b.opts.provider_latency)
    load = "Zoom create 2 s"
    slow_ack = b.ack_row(table, load, "/meet ack", meets, extra=("",))
    b.ack_row(table, load, "Zoom submission ack", subs, extra=("",))
    table.latency_row(load, "request → views.open", opened, unopened, "")
    table.latency_row(load, "submission → chat.postMessage", posted, never, f"{posted.n}/{len(subs)} posted")
    b.targets.append(Target("Zoom at 2 s: /meet ack p99 ≤ 50 ms and views.open p99 ≤ 150 ms",
                            slow_ack.p99 <= 50 and opened.p99 <= 150 and unopened == 0,
                            f"ack p99 {ms(slow_ack.p99)} ms, views.open p99 {ms(opened.p99)} ms"))
    b.settle()

    # 5b: every Zoom create answers 429, Retry-After: 1.
    zoom.fail("create", 429, None, {"Retry-After": "1"}, times=None)
    try:
        meets, subs = _meets_and_zoom_submissions(b, meet_rate, zoom_rate)
        opened, unopened = b.followed(meets, "views.open")
        accepted = sum(1 for r in subs if r.status == 200 and not r.field_errors)
        wait_until(lambda: _retry_notes(b) >= accepted, 30, interval=0.2)
        told, creates = _retry_notes(b), len(zoom.calls("create"))
        posted = len(b.arrivals("chat.postMessage", {r.key for r in subs}, 0))
    finally:
        zoom.clear_failures("create")
    load = "Zoom 429 storm"
    storm_ack = b.ack_row(table, load, "/meet ack", meets, extra=("",))
    b.ack_row(table, load, "Zoom submission ack", subs, extra=("",))
    table.latency_row(load, "request → views.open", opened, unopened,
                      f"{told}/{accepted} told to retry, {posted} posted, {creates} create calls")
    b.targets.append(Target("Zoom 429 storm: /meet ack p99 ≤ 50 ms", storm_ack.p99 <= 50 and storm_ack.n > 0,
                            f"ack p99 {ms(storm_ack.p99)} ms"))
    table.notes = [
        "bad = missed acks / views.open or posts that never arrived.",
        "429 phase: the fake answers every create 429 with Retry-After: 1; meetbot waits it out twice "
        "(3 attempts) then tells the organiser (ephemeral note with Retry); the outage is cleared afterwards.",
    ]
    table.notes.append(b.noise_note(mark))
    b.tables.append(table)
    b.settle()


def _retry_notes(b: Bench) -> int:
    return sum(1 for c in b.stack.slack.calls("chat.postEphemeral") if "retry" in str(c.body.get("text", "")).lower())


# -- 7: cold start and memory -----------------------------------------------------------------------------

def memory(b: Bench, warm_rss: float) -> None:
    total, users = b.opts.rss_requests, b.opts.users
    chunk = max(1, total // 4)
    table = Table(f"7. Cold start and memory (closed loop, {users} concurrent users, plain `/meet`)",
                  ["point", "value"])
    table.add("cold start: Popen → first 200 ack of a signed `/meet`", f"{b.stack.cold_start * 1000:,.0f} ms")
    table.add("RSS after warm-up", f"{warm_rss:.1f} MB")
    stream = b.meet(b.tag("c"), 0, chunk)
    rss: list[tuple[int, float]] = []
    mark = len(b.noise)
    every: list[Result] = []
    elapsed = 0.0
    for k in range(4):
        t, before = time.monotonic(), b.cpu()
        results = b.pool.submit(driver.closed_loop, b.url(), stream, users, 120.0, k * chunk).result(timeout=200)
        took, after = time.monotonic() - t, b.cpu()
        elapsed += took
        b.noise.append(max(0.0, after["others"] - before["others"]) / (took * (os.cpu_count() or 1)))
        every += results
        opened = b.arrivals("views.open", {r.key for r in results if r.status == 200}, b.opts.drain)
        b.stack.slack.clear()
        rss.append((len(every), b.stack.rss()))
        table.add(f"RSS after {len(every):,} requests", f"{rss[-1][1]:.1f} MB")
        if len(opened) < sum(1 for r in results if r.status == 200):
            table.notes.append(f"chunk {k + 1}: {sum(1 for r in results if r.status == 200) - len(opened)} "
                               f"views.open still missing after {b.opts.drain:g} s")
    ack = Summary.of([r.latency for r in every if r.latency is not None])
    missed = sum(r.missed for r in every)
    table.add("closed-loop throughput", f"{len(every) / elapsed:,.0f} requests/s")
    table.add("closed-loop ack p50 / p99 / max", f"{ms(ack.p50)} / {ms(ack.p99)} / {ms(ack.max)} ms ({missed} missed)")
    table.notes.append("RSS is VmRSS of the `meetbot serve` process, read after each quarter once its "
                       "views.open calls had arrived (so no backlog is counted as steady state).")
    table.notes.append(b.noise_note(mark))
    b.tables.append(table)
    half = rss[1][1] if len(rss) > 1 else rss[0][1]
    growth = rss[-1][1] - half
    b.targets.append(Target(f"RSS < 150 MB after {len(every):,} requests and flat (≤ 5 MB growth over the second half)",
                            rss[-1][1] < 150 and growth <= 5,
                            f"{warm_rss:.1f} MB warm → {rss[-1][1]:.1f} MB; second half {growth:+.1f} MB"))


# -- 8: the floor -------------------------------------------------------------------------------------------

def pbr_rate(b: Bench) -> int:
    """The one rate at which meetbot is also compared with a floor run like meetbot runs Bolt."""
    return 100 if 100 in b.opts.rates else b.opts.rates[-1]


def floor(b: Bench) -> None:
    """Scenario 8's table, from the floor runs made in scenario 1 right after each of meetbot's."""
    table = Table("8. Against the floor (bare Bolt ack on the same router + waitress)",
                  ["rate", "ours p50", "floor p50", "ratio p50", "ours p99", "floor p99", "ratio p99", "floor missed"])
    ratios, cpu = [], []
    for rate in b.opts.rates:
        ours, base = b.meet_runs[rate], b.floor_runs["bare", rate]
        cpu.append(f"{rate}/s {ours.cpu_ms['server']:.1f} vs {base.cpu_ms['server']:.1f} ms")
        r50, r99 = ours.ack.p50 / base.ack.p50, ours.ack.p99 / base.ack.p99
        ratios.append((rate, r50, r99))
        table.add(f"{rate}/s", ms(ours.ack.p50), ms(base.ack.p50), f"{r50:.2f}×", ms(ours.ack.p99), ms(base.ack.p99),
                  f"{r99:.2f}×", base.missed)
    rate = pbr_rate(b)
    ours, pbr = b.meet_runs[rate], b.floor_runs["pbr", rate]
    table.add(f"{rate}/s vs floor with process_before_response=True", ms(ours.ack.p50), ms(pbr.ack.p50),
              f"{ours.ack.p50 / pbr.ack.p50:.2f}×", ms(ours.ack.p99), ms(pbr.ack.p99),
              f"{ours.ack.p99 / pbr.ack.p99:.2f}×", pbr.missed)
    table.notes = [
        "floor = benchmarks/floor_app.py: a `/meet` listener that only calls ack(), signature verification on, "
        "served by bot.server.make_wsgi_app + create_server (waitress, 16 threads); each floor run came right "
        "after meetbot's run at the same rate in table 1.",
        "The floor rows run bare Bolt (process_before_response=False): its request thread polls for the ack "
        "every 10 ms. meetbot runs Bolt with process_before_response=True (no poll), so a ratio below 1 is "
        "possible; the last row compares against a floor configured like meetbot.",
        "server CPU per `/meet`, meetbot vs bare floor (meetbot's includes opening the modal after the ack): "
        + ", ".join(cpu) + ".",
        "other processes' share of the cores during meetbot's / the floor's run (noise check): "
        + ", ".join(f"{r}/s {b.meet_runs[r].others:.0%} / {b.floor_runs['bare', r].others:.0%}" for r in b.opts.rates) + ".",
    ]
    b.tables.append(table)
    worst = max(ratios, key=lambda x: max(x[1], x[2]))
    b.targets.append(Target("our ack within 1.5× of the floor (bare Bolt), p50 and p99 at every rate",
                            all(r50 <= 1.5 and r99 <= 1.5 for _, r50, r99 in ratios),
                            ", ".join(f"{rate}/s {r50:.2f}×/{r99:.2f}×" for rate, r50, r99 in ratios)
                            + f" (worst {worst[0]}/s)"))
