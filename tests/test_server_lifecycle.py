"""bot.server.HttpServer: stopping while requests come and go never raises anywhere, and an answer being
written when the stop comes still reaches its client."""

from __future__ import annotations

import threading

import httpx

from bot.server import create_server, stop_server


def _plain_app(release: threading.Event | None = None):
    def wsgi(environ, start_response):
        if release is not None and environ.get("PATH_INFO") == "/slow":
            release.wait(5)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    return wsgi


def _serve(wsgi, threads: int = 4):
    server = create_server(wsgi, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.effective_port}"


def test_stopping_under_traffic_raises_in_no_thread_and_closes_the_port():
    """Each round stops the server while clients are mid-request (the wake-up pipe used to be closed under
    writers: EBADF in a random thread, which this suite turns into an error)."""
    for _ in range(25):
        server, thread, url = _serve(_plain_app())
        stop_clients = threading.Event()
        answered = threading.Event()

        def hammer() -> None:
            with httpx.Client(timeout=2) as client:
                while not stop_clients.is_set():
                    try:
                        client.get(url + "/")
                        answered.set()
                    except httpx.HTTPError:
                        pass

        clients = [threading.Thread(target=hammer, daemon=True) for _ in range(3)]
        for client in clients:
            client.start()
        assert answered.wait(5)
        stop_server(server)
        thread.join(timeout=10)
        stop_clients.set()
        for client in clients:
            client.join(timeout=5)
        assert not thread.is_alive()
        try:
            httpx.get(url + "/", timeout=1)
            raise AssertionError("the port still answers after stop")
        except httpx.ConnectError:
            pass


def test_an_answer_in_progress_at_stop_is_still_delivered():
    release = threading.Event()
    server, thread, url = _serve(_plain_app(release))
    result: dict[str, object] = {}
    started = threading.Event()

    def slow_request() -> None:
        started.set()
        result["response"] = httpx.get(url + "/slow", timeout=10)

    client = threading.Thread(target=slow_request)
    client.start()
    started.wait(5)
    # Wait until the server is really working on it (a deadline, not a sleep).
    deadline = threading.Event()
    for _ in range(200):
        if any(getattr(c, "requests", None) for c in list(server._server._map.values())):
            break
        deadline.wait(0.01)
    stop_server(server)
    release.set()
    client.join(timeout=10)
    thread.join(timeout=10)
    assert result["response"].status_code == 200 and result["response"].text == "ok"
    assert not thread.is_alive()


def test_a_server_never_run_closes_its_port():
    server = create_server(_plain_app(), host="127.0.0.1", port=0)
    port = server.effective_port
    server.close()
    try:
        httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
        raise AssertionError("the port still answers after close")
    except httpx.ConnectError:
        pass
