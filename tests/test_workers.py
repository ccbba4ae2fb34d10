"""`meetbot serve --workers N`: pre-forked workers on one port, a killed worker replaced, SIGTERM stops all."""

from __future__ import annotations

import os
import signal
import threading
import time

import httpx

from tests.harness import make_settings, meetbot_process
from tests.slack_payloads import signed_headers, slash


def children(pid: int) -> set[int]:
    """Live processes whose parent is `pid`, from each /proc/<n>/stat (the per-thread `children` file lists
    only the children of one thread and, per the kernel's own docs, is not reliable while tasks run)."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid and fields[0] not in ("Z", "X"):  # state, parent pid; zombies are not workers
            found.add(int(entry))
    return found


def wait_children(pid: int, count: int, other_than: frozenset[int] = frozenset(), timeout: float = 20.0) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = children(pid)
        if len(found) == count and not found & other_than:
            return found
        time.sleep(0.05)  # polling /proc with a deadline
    raise AssertionError(f"expected {count} workers of {pid}, found {children(pid)}")


def meet_now(base: str, title: str) -> None:
    body = slash(f"now {title}")
    assert httpx.post(f"{base}/slack/events", content=body, headers=signed_headers(body), timeout=10).status_code == 200


def test_two_workers_share_the_port_and_a_killed_one_is_replaced(tmp_path, slack):
    with meetbot_process(make_settings(tmp_path, slack.base_url), tmp_path, "--workers", "2") as (proc, base):
        workers = wait_children(proc.pid, 2)
        threads = [threading.Thread(target=meet_now, args=(base, f"Standup {i}")) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        slack.wait_for("chat.postMessage", count=10, timeout=20)

        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        wait_children(proc.pid, 2, other_than=frozenset({victim}))
        meet_now(base, "After the crash")
        slack.wait_for("chat.postMessage", count=11, timeout=20)
        assert len(slack.messages("C1")) == 11

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert children(proc.pid) == set()


def test_zero_workers_is_a_usage_error(tmp_path, capsys, monkeypatch):
    from bot.cli import main

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    assert main(["serve", "--workers", "0"]) == 2
    assert "--workers 0" in capsys.readouterr().err
