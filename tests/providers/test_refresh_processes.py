"""A token refresh storm across two processes sharing one database: exactly one refresh, no invalid_grant."""

from __future__ import annotations

import threading

import httpx

from tests.harness import meetbot_process, on_both_backends, running_meetbot  # noqa: F401 - both backends
from tests.providers.conftest import link, provider_settings
from tests.slack_payloads import SIGNING_SECRET, signed_headers, slash, view_submission


def test_two_processes_refresh_once(tmp_path, slack, zoom, dialpad, backend):
    settings = provider_settings(tmp_path, slack, zoom, dialpad, **backend)
    with running_meetbot(settings, provider_timeout=5.0) as meetbot:
        link(meetbot, slack, zoom, "zoom")
        with meetbot_process(settings, tmp_path) as (_other, other_base):
            zoom.expire_access_tokens()
            zoom.set_refresh_delay(0.5)  # widen the race window
            slack.clear()
            meetbot.post(slash(""))
            [opened] = slack.wait_for("views.open")
            view = opened.body["view"]

            def submit(base: str, i: int) -> None:
                values = {"title": f"M{i}", "when": "tomorrow 3pm", "provider": ("static_select", "zoom"),
                          "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}
                body = view_submission({**view, "id": f"V{i}", "hash": "h"}, values)
                headers = signed_headers(body, secret=SIGNING_SECRET)
                assert httpx.post(f"{base}/slack/events", content=body, headers=headers, timeout=5).status_code == 200

            bases = [meetbot.base_url, other_base]
            threads = [threading.Thread(target=submit, args=(bases[i % 2], i)) for i in range(20)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            slack.wait_for("chat.postMessage", count=20, timeout=30)
            assert zoom.refresh_count == 1 and zoom.invalid_grant_count == 0
            assert len(zoom.meetings) == 20
            assert meetbot.store.get_account("T1", "U1", "zoom").status == "active"
