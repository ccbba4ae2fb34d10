"""Fixtures for provider end-to-end tests: meetbot + fake Slack + fake Zoom + fake Dialpad, all real HTTP."""

from __future__ import annotations

import html
import logging
import re
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from bot.linking import COOKIE
from tests.fakes.dialpad import BOB as DIALPAD_BOB
from tests.fakes.zoom import ME as ZOOM_ME
from tests.harness import make_settings, running_meetbot
from tests.slack_payloads import SIGNING_SECRET, slash, view_submission

PUBLIC = "https://meetbot.example.test"


@pytest.fixture(autouse=True)
def no_secret_leaks(request, slack, zoom, dialpad, caplog):
    """Test-wide guard: no token, host link or signing secret reaches Slack (bar the host's own ephemeral
    note) or any log line, whatever the test did."""
    caplog.set_level(logging.DEBUG)
    yield
    secrets = zoom.issued_tokens() + dialpad.issued_tokens() + zoom.start_urls() + [SIGNING_SECRET, "zoom-secret", "dialpad-secret"]
    secrets = [s for s in secrets if s]

    def host_note(call) -> bool:
        return call.method == "chat.postEphemeral" and call.body.get("user") == "U1"

    leaks = slack.find_leaks(secrets, allow=host_note)
    assert not leaks, f"leaked to Slack: {[(c.method, s[:12]) for c, s in leaks]}"
    text = "\n".join(r.getMessage() for when in ("setup", "call") for r in caplog.get_records(when))
    logged = [s[:12] for s in secrets if s in text]
    assert not logged, f"leaked to the logs: {logged}"


def provider_settings(tmp_path, slack, zoom, dialpad, **overrides):
    values = dict(
        meetbot_public_url=PUBLIC,
        zoom_client_id="zoom-client", zoom_client_secret="zoom-secret", zoom_api_url=zoom.api_url, zoom_oauth_url=zoom.oauth_url,
        zoom_webhook_secret="zoom-webhook-secret",
        dialpad_client_id="dialpad-client", dialpad_client_secret="dialpad-secret",
        dialpad_api_url=dialpad.api_url, dialpad_oauth_url=dialpad.oauth_url,
    )
    values.update(overrides)
    return make_settings(tmp_path, slack.base_url, **values)


@pytest.fixture
def meetbot(tmp_path, slack, zoom, dialpad, backend):
    with running_meetbot(provider_settings(tmp_path, slack, zoom, dialpad, **backend), provider_timeout=2.0) as running:
        yield running


def connect_url(meetbot, slack, provider: str, user: str = "U1") -> str:
    """`/meet link <provider>` as `user`: the path of the Connect button's URL (shown only to them)."""
    slack.clear()
    meetbot.post(slash(f"link {provider}", user=user, response_url=slack.response_url(f"link-{user}")))
    meetbot.wait_idle()
    reply = slack.wait_for_note(user, "connect_link").body  # private: only `user` sees the Connect button
    connect = reply["blocks"][-1]["elements"][0]["url"]
    assert connect.startswith(f"{PUBLIC}/oauth/{provider}/start?")
    return connect[len(PUBLIC):]


def open_link(meetbot, path: str, cookie: str | None = None) -> tuple[httpx.Response, dict[str, str], str]:
    """A browser opening a Connect link: (the confirmation page, its form's fields, the browser's cookie)."""
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    page = meetbot.http.get(meetbot.base_url + path, headers=headers, follow_redirects=False)
    assert page.status_code == 200 and "location" not in page.headers, page.text
    assert "<form method='post'" in page.text and "Fake" in page.text  # a POST button; names the workspace
    jar = SimpleCookie()
    jar.load(page.headers["set-cookie"])
    fields = dict(re.findall(r"name='([^']+)' value='([^']*)'", page.text))
    return page, {k: html.unescape(v) for k, v in fields.items()}, jar[COOKIE].value


def confirm(meetbot, provider: str, fields: dict[str, str], cookie: str | None) -> httpx.Response:
    """The confirmation page's button: a POST with the form's fields and the browser's cookie."""
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    return meetbot.http.post(f"{meetbot.base_url}/oauth/{provider}/start", data=fields, headers=headers,
                             follow_redirects=False)


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


def start_link(meetbot, slack, provider: str, user: str = "U1"):
    """`/meet link <provider>` → the Connect page → its POST: (provider authorize URL, its query, browser cookie).
    The user's Slack email is made the fake provider account's, as linking without Sign in with Slack checks."""
    slack.set_email(user, IDENTITY_EMAIL[provider])
    _, fields, cookie = open_link(meetbot, connect_url(meetbot, slack, provider, user))
    start = confirm(meetbot, provider, fields, cookie)
    assert start.status_code == 303, start.text
    location = start.headers["location"]
    return location, query_of(location), cookie


def callback(meetbot, provider: str, params: dict, cookie: str | None) -> httpx.Response:
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    return meetbot.http.get(f"{meetbot.base_url}/oauth/{provider}/callback", params=params, headers=headers)


IDENTITY_EMAIL = {"zoom": ZOOM_ME["email"], "dialpad": DIALPAD_BOB["emails"][0]}


def link(meetbot, slack, fake, provider: str, user: str = "U1") -> None:
    """Link `user` to the fake's account."""
    _, query, cookie = start_link(meetbot, slack, provider, user)
    code = fake.authorize(query)
    page = callback(meetbot, provider, {"code": code, "state": query["state"]}, cookie)
    assert page.status_code == 200, page.text
    meetbot.wait_idle()


def open_and_submit(meetbot, slack, *, title="Design review", when="tomorrow 3pm for 45m", provider="zoom",
                    view_id="V42", user="U1", invitees=()):
    slack.clear()
    meetbot.post(slash("", user=user))
    [opened] = slack.wait_for("views.open")
    view = {**opened.body["view"], "id": view_id, "hash": "h1"}
    values = {"title": title, "when": when, "provider": ("static_select", provider),
              "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", list(invitees))}
    return meetbot.post(view_submission(view, values, user=user))
