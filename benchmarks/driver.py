"""The load generator: signed Slack requests, open loop (fixed arrival rate) or closed loop (N users).

It runs in a process of its own (run.py starts it with `spawn`). Why: the fake Slack/Zoom/Dialpad servers are
threads in the benchmark process; a generator sharing their GIL would be held up by them and report that
wait as meetbot's latency. On Linux `time.monotonic()` is CLOCK_MONOTONIC, one clock for every process, so
the send times taken here compare directly with the fakes' `Call.at` in the parent.

Open loop: every send time is fixed up front (t0 + i/rate) and each request is its own task, so a slow
answer never delays later sends (no coordinated omission: a stalled server shows up as latency, not as a
lower offered rate). Each request is built and signed just before it leaves, as Slack signs each one.
Every wait is bounded: httpx's 5 s timeouts per request and a deadline on the whole phase.

The driver should cost as little CPU as it can: the whole set-up shares one small machine. httpcore asks
for the optional `sniffio` package several times per request; where it is not installed each ask is a
failed import that walks sys.path (about 1 ms of CPU per request in all). `sniffio` is therefore marked
absent once, in this process only: httpcore then takes its documented fallback, "asyncio", which is what
sniffio would have answered.
"""

from __future__ import annotations

import asyncio
import importlib.util
import signal
import sys
import time
from dataclasses import dataclass

if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]  # see the module docstring

import httpx  # noqa: E402

from tests.slack_payloads import signed_headers, slash, view_submission  # noqa: E402

ACK_DEADLINE = 3.0  # Slack shows the user an error when the ack takes longer
REQUEST_TIMEOUT = 5.0
VALID_WHEN = "tomorrow 3pm for 45m"
INVALID_WHEN = "someday"
ADVERSARIAL_WHEN = ("next tuesday at 3pm for 45m every " * 200)[:5000]  # a 5,000-character `when`
WHEN = {"valid": VALID_WHEN, "invalid": INVALID_WHEN, "adversarial": ADVERSARIAL_WHEN}


@dataclass(frozen=True)
class Stream:
    """`count` requests of one kind at `rate` per second (0: all at once).

    kind "meet": `/meet <text>` with trigger_id = key = f"{tag}.{i}".
    kind "submit": a view_submission of `view` (id f"V{tag}{i}") with title = key = f"{tag}-{i}"; the
    `when` cycles through `mix` ("valid", "invalid", "adversarial").
    """

    kind: str
    tag: str
    rate: float
    count: int
    text: str = ""
    view: dict | None = None
    mix: tuple[str, ...] = ("valid",)
    provider: str = "jitsi"
    response_url: str = ""
    user: str = "U1"


@dataclass(frozen=True)
class Result:
    tag: str
    key: str  # trigger_id (meet) or meeting title (submit)
    variant: str
    scheduled: float  # monotonic; when the open loop meant to send it
    sent: float  # monotonic, just before the request left
    done: float | None  # monotonic, when the answer was read; None on a transport error
    status: int
    error: str  # transport error class name, "" if none
    field_errors: bool  # the answer was `response_action: errors` (a modal validation error)

    @property
    def latency(self) -> float | None:
        return None if self.done is None else self.done - self.sent

    @property
    def missed(self) -> bool:
        """Slack would count this ack as failed: not a 200, too slow, or no answer."""
        return bool(self.error) or self.status != 200 or (self.latency or 0) > ACK_DEADLINE


def build(stream: Stream, i: int) -> tuple[str, str, str]:
    """(key, variant, body) of request `i` of `stream`."""
    if stream.kind == "meet":
        key = f"{stream.tag}.{i}"
        return key, "meet", slash(stream.text, user=stream.user, trigger_id=key,
                                  response_url=stream.response_url or "http://127.0.0.1:9/response/default")
    variant = stream.mix[i % len(stream.mix)]
    key = f"{stream.tag}-{i}"
    view = {**(stream.view or {}), "id": f"V{stream.tag}{i}", "hash": "h"}
    values = {"title": key, "when": WHEN[variant], "provider": ("static_select", stream.provider),
              "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}
    return key, variant, view_submission(view, values, user=stream.user)


async def _send(client: httpx.AsyncClient, url: str, stream: Stream, i: int, scheduled: float) -> Result:
    key, variant, body = build(stream, i)
    data = body.encode()
    headers = signed_headers(data)
    sent = time.monotonic()
    try:
        answer = await client.post(url, content=data, headers=headers)
    except httpx.HTTPError as exc:
        return Result(stream.tag, key, variant, scheduled, sent, None, 0, type(exc).__name__, False)
    done = time.monotonic()
    return Result(stream.tag, key, variant, scheduled, sent, done, answer.status_code, "",
                  b'"response_action"' in answer.content and b'"errors"' in answer.content)


def _client() -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=2000)
    return httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT)


async def _collect(tasks: list[asyncio.Task], deadline: float) -> list[Result]:
    """Results of all tasks; any still running at `deadline` is cancelled and reported as "Cancelled"."""
    if tasks:
        await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
    results = []
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is None:
            results.append(task.result())
        else:
            task.cancel()
            tag, _, key = task.get_name().partition("|")
            results.append(Result(tag, key, "?", 0.0, 0.0, None, 0, "Cancelled", False))
    return results


async def _open_loop(url: str, streams: list[Stream]) -> list[Result]:
    async with _client() as client:
        t0 = time.monotonic() + 0.1
        tasks: list[asyncio.Task] = []

        async def schedule(stream: Stream) -> None:
            for i in range(stream.count):
                at = t0 + (i / stream.rate if stream.rate > 0 else 0.0)
                pause = at - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)
                tasks.append(asyncio.create_task(_send(client, url, stream, i, at), name=f"{stream.tag}|{i}"))

        await asyncio.gather(*(schedule(s) for s in streams))
        return await _collect(tasks, time.monotonic() + 4 * REQUEST_TIMEOUT)


async def _closed_loop(url: str, stream: Stream, users: int, max_seconds: float, start: int) -> list[Result]:
    async with _client() as client:
        deadline = time.monotonic() + max_seconds
        counter = iter(range(start, start + stream.count))
        results: list[Result] = []

        async def user() -> None:
            for i in counter:
                if time.monotonic() >= deadline:
                    return
                results.append(await _send(client, url, stream, i, time.monotonic()))

        workers = [asyncio.create_task(user()) for _ in range(users)]
        await asyncio.wait(workers, timeout=max_seconds + 4 * REQUEST_TIMEOUT)
        for worker in workers:
            worker.cancel()
        return results


def open_loop(url: str, streams: list[Stream]) -> list[Result]:
    """Send every stream at its fixed rate, concurrently; one Result per request."""
    return asyncio.run(_open_loop(url, streams))


def closed_loop(url: str, stream: Stream, users: int, max_seconds: float, start: int = 0) -> list[Result]:
    """`users` concurrent users, each sending its next request when its previous answer arrived, until
    `stream.count` requests (indices start..start+count) are done or `max_seconds` passed."""
    return asyncio.run(_closed_loop(url, stream, users, max_seconds, start))


def ignore_interrupts() -> None:
    """The pool's initializer: Ctrl-C in a terminal reaches the whole process group; the parent handles it
    (and stops this process through the pool), so a worker must not die mid-phase with a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def ready() -> float:
    """A no-op the parent calls once, so the child's imports are not charged to the first phase."""
    return time.monotonic()
