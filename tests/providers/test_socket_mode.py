"""Socket Mode (the README's default) still serves what a browser or Zoom must reach: linking works end to end.

The app runs as `meetbot run` runs it (bot.runtime.Service) against a fake Socket Mode endpoint: the fake
Slack's `apps.connections.open` hands out a websocket on 127.0.0.1, `/meet link zoom` arrives over it, and
the browser's Connect/callback requests arrive over HTTP on the same service's port.
"""

from __future__ import annotations

from tests.fakes.socket_mode import FakeSocketMode
from tests.harness import running_service
from tests.providers.conftest import link, provider_settings
from tests.slack_payloads import slash


def test_linking_zoom_in_socket_mode(tmp_path, slack, zoom, dialpad):
    with FakeSocketMode() as socket:
        slack.socket_mode_url = socket.url
        settings = provider_settings(tmp_path, slack, zoom, dialpad, slack_app_token="xapp-1-test", slack_signing_secret=None)
        with running_service(settings, socket=socket) as meetbot:
            socket.wait_connected()
            assert meetbot.http.get(f"{meetbot.base_url}/healthz").status_code == 200
            assert meetbot.http.post(f"{meetbot.base_url}/slack/events", content=slash("now")).status_code == 404
            assert meetbot.http.post(f"{meetbot.base_url}/zoom/webhook", content=b"{}").status_code == 401  # served, signed
            [opened] = slack.calls("apps.connections.open")
            assert opened.headers["authorization"] == "Bearer xapp-1-test"
            link(meetbot, slack, zoom, "zoom")
            assert meetbot.store.get_account("T1", "U1", "zoom").status == "active"


def test_socket_mode_redelivery_runs_once(tmp_path, slack, zoom, dialpad):
    with FakeSocketMode() as socket:
        slack.socket_mode_url = socket.url
        settings = provider_settings(tmp_path, slack, zoom, dialpad, slack_app_token="xapp-1-test", slack_signing_secret=None)
        with running_service(settings, socket=socket) as meetbot:
            socket.wait_connected()
            command = slash("")
            meetbot.post(command)
            meetbot.post(command)  # Slack redelivers an envelope it thinks was not acknowledged
            meetbot.wait_idle()
            assert len(slack.calls("views.open")) == 1


def test_socket_mode_requests_are_counted_on_the_http_port(tmp_path, slack, zoom, dialpad):
    from tests.metrics_scrape import delta, scrape

    with FakeSocketMode() as socket:
        slack.socket_mode_url = socket.url
        settings = provider_settings(tmp_path, slack, zoom, dialpad, slack_app_token="xapp-1-test", slack_signing_secret=None)
        with running_service(settings, socket=socket) as meetbot:
            socket.wait_connected()
            before, _ = scrape(meetbot.base_url)
            meetbot.post(slash("help"))
            after, _ = scrape(meetbot.base_url)
            assert delta(after, before, "meetbot_slack_requests_total", surface="command", outcome="ok") == 1
            assert delta(after, before, "meetbot_slack_ack_seconds_count", surface="command") == 1
