"""`meetbot serve --workers N`: N pre-forked processes serving one listening socket.

Why pre-fork rather than a gunicorn entry point: the worker is the very `Service` a single `meetbot serve` runs
(waitress threads, job lanes, lease keeper, graceful stop), so the tests that start `meetbot serve` test what
production runs, and no second server stack or config file is needed. The parent binds the port, forks before
it has started any thread or opened any database connection, then only supervises: SIGTERM/SIGINT are passed
on to every worker (each drains within its grace), a worker killed by a signal is replaced, and a worker that
exits with an error (a start-up mistake) stops them all with its exit status. Each worker is its own lease
owner, so what a killed worker was doing is taken over like after any crash.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
from collections.abc import Callable

from bot import messages
from bot.errors import MeetbotError, StartupError

log = logging.getLogger("meetbot.workers")
EXIT_STARTUP = 2


def listen_socket(host: str, port: int) -> socket.socket:
    """The one listening socket every worker accepts on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
    except OSError as exc:
        sock.close()
        raise StartupError(messages.port_unavailable(host, port, exc.strerror or type(exc).__name__)) from exc
    return sock


def _worker(serve: Callable[[socket.socket], bool], sock: socket.socket) -> None:
    """In the forked child: serve until told to stop, then leave without running the parent's cleanup."""
    code = 0
    try:
        serve(sock)
    except MeetbotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = EXIT_STARTUP
    except BaseException:  # noqa: BLE001 - a worker must always end through os._exit
        log.exception("worker %d failed", os.getpid())
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_workers(serve: Callable[[socket.socket], bool], host: str, port: int, workers: int) -> int:
    """Fork `workers` processes running `serve(sock)`; supervise until they have all stopped. Exit status."""
    sock = listen_socket(host, port)
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:
            _worker(serve, sock)
        children.add(pid)

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    status = 0
    try:
        for _ in range(workers):
            spawn()
        log.info("meetbot serving on %s:%s with %d workers", host, port, workers)
        while children:
            pid, wait_status = os.wait()
            children.discard(pid)
            if stopping:
                continue
            if os.WIFSIGNALED(wait_status):
                log.warning("worker %d was killed (signal %d): starting another", pid, os.WTERMSIG(wait_status))
                spawn()
            elif os.waitstatus_to_exitcode(wait_status) != 0:
                status = os.waitstatus_to_exitcode(wait_status)
                stop(signal.SIGTERM, None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
    return status
