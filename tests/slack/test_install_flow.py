"""Slack's install flow for many workspaces, end to end: the real `/slack/install` and `/slack/oauth_redirect`
routes, the fake Slack's authorize page and `oauth.v2.access`, and each workspace served with its own token."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.stores import LinkedAccount
from bot.stores.installations import SlackInstallations
from tests.harness import make_settings, on_both_backends, running_meetbot  # noqa: F401 - on_both_backends: a fixture
from tests.slack_payloads import event, slash, view_submission

PUBLIC = "https://meetbot.example.test"
COOKIE = "slack-app-oauth-state"


def distributable_settings(tmp_path, slack, **overrides):
    """No SLACK_BOT_TOKEN, the app's client id and secret: installed per workspace."""
    client_id, client_secret = slack.openid_client
    return make_settings(tmp_path, slack.base_url, slack_bot_token=None, slack_client_id=client_id,
                         slack_client_secret=client_secret, slack_oauth_url=slack.oauth_url, **overrides)


@pytest.fixture
def distributed(tmp_path, slack, zoom, backend):
    slack.add_workspace("T1", "One")
    slack.add_workspace("T2", "Two")
    settings = distributable_settings(tmp_path, slack, zoom_client_id="zoom-client", zoom_client_secret="zoom-secret",
                                      zoom_api_url=zoom.api_url, zoom_oauth_url=zoom.oauth_url, **backend)
    with running_meetbot(settings) as running:
        yield running


def start_install(meetbot) -> tuple[httpx.Response, str]:
    """GET /slack/install: (the redirect, the state cookie it set)."""
    started = meetbot.http.get(f"{meetbot.base_url}/slack/install")
    assert started.status_code == 302, started.text
    cookie = re.search(rf"{COOKIE}=([^;]+)", started.headers["set-cookie"])
    assert cookie, started.headers
    return started, cookie.group(1)


def install(meetbot, slack, team: str, user: str = "U1") -> httpx.Response:
    """A workspace admin's whole install, as a browser does it: meetbot → Slack's page → meetbot's redirect."""
    started, state_cookie = start_install(meetbot)
    slack.install_as(user, team)
    page = httpx.get(started.headers["location"])
    assert page.status_code == 200, page.text
    back = html.unescape(re.search(r'href="([^"]+)"', page.text).group(1))
    assert back.startswith(f"{PUBLIC}/slack/oauth_redirect?")
    return meetbot.http.get(f"{meetbot.base_url}/slack/oauth_redirect?{urlsplit(back).query}",
                            headers={"Cookie": f"{COOKIE}={state_cookie}"})


def test_install_starts_at_slacks_authorize_page_with_the_manifests_scopes(distributed, slack):
    started, _ = start_install(distributed)
    location = urlsplit(started.headers["location"])
    assert f"{location.scheme}://{location.netloc}" == slack.oauth_url and location.path == "/oauth/v2/authorize"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["client_id"] == slack.openid_client[0] and query["state"]
    assert query["redirect_uri"] == f"{PUBLIC}/slack/oauth_redirect"
    assert {"commands", "chat:write", "users:read"} <= set(query["scope"].split(","))


def test_two_workspaces_each_served_with_their_own_token(distributed, slack):
    installed = install(distributed, slack, "T1")
    assert installed.status_code == 200 and "meetbot was added to One" in installed.text
    assert install(distributed, slack, "T2", user="U9").status_code == 200
    [token1], [token2] = slack.tokens_for("T1"), slack.tokens_for("T2")
    stored = distributed.stored_bytes()
    assert token1.encode() not in stored and token2.encode() not in stored  # encrypted at rest

    for team, user, token in (("T1", "U1", token1), ("T2", "U9", token2)):
        slack.clear()
        assert distributed.post(slash(f"now Standup {team}", team=team, user=user,
                                      response_url=slack.response_url(team))).status_code == 200
        [posted] = slack.wait_for("chat.postMessage", timeout=10)
        assert f"Standup {team}" in str(posted.body) and posted.token == token
        slack.clear()
        assert distributed.post(slash("", team=team, user=user, trigger_id=f"trig-{team}")).status_code == 200
        [opened] = slack.wait_for("views.open")
        assert opened.token == token
        slack.clear()
        values = {"title": f"Review {team}", "when": "tomorrow 3pm", "provider": ("static_select", "jitsi"),
                  "channel": ("conversations_select", "C1"), "invitees": ("multi_users_select", [])}
        view = {**opened.body["view"], "id": f"V-{team}", "hash": "h"}
        assert distributed.post(view_submission(view, values, user=user, team=team)).status_code == 200
        [posted] = slack.wait_for("chat.postMessage", timeout=10)  # made by a background job: still their token
        assert f"Review {team}" in str(posted.body) and posted.token == token
    distributed.wait_idle()
    assert all(call.token in (token1, token2, "") for call in slack.calls())


def test_uninstalling_one_workspace_leaves_the_other_working(distributed, slack, zoom):
    install(distributed, slack, "T1")
    install(distributed, slack, "T2", user="U9")
    store = distributed.store
    for team, user in (("T1", "U1"), ("T2", "U9")):
        store.save_account(LinkedAccount(team, user, "zoom", f"zoom-{user}", f"{user}@x.test", f"at-{team}", f"rt-{team}", 2e9))
    slack.revoke_workspace("T1")
    assert distributed.post(event({"type": "app_uninstalled"}, team="T1"), content_type="application/json").status_code == 200
    distributed.wait_idle()

    installs = SlackInstallations(store)
    assert installs.find_bot(enterprise_id=None, team_id="T1") is None
    assert store.list_team_accounts("T1") == []
    assert [call.body.get("token") for call in zoom.calls("revoke")] == ["at-T1"]  # revoked at Zoom too
    assert installs.find_bot(enterprise_id=None, team_id="T2") is not None
    assert store.get_account("T2", "U9", "zoom") is not None

    slack.clear()
    answer = distributed.post(slash("now Still here", team="T2", user="U9", response_url=slack.response_url("T2")))
    assert answer.status_code == 200
    [posted] = slack.wait_for("chat.postMessage", timeout=10)
    assert posted.token == slack.tokens_for("T2")[0]

    slack.clear()
    gone = distributed.post(slash("now Anyone?", team="T1", response_url=slack.response_url("T1")))
    assert gone.status_code == 200
    [told] = slack.wait_for("response_url")
    assert f"{PUBLIC}/slack/install" in str(told.body)  # says how to get meetbot back
    distributed.wait_idle()
    assert slack.calls("chat.postMessage") == []


def test_a_revoked_bot_token_removes_the_workspace_like_an_uninstall(distributed, slack):
    install(distributed, slack, "T1")
    install(distributed, slack, "T2", user="U9")
    body = event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOTT1"]}}, team="T1")
    assert distributed.post(body, content_type="application/json").status_code == 200
    distributed.wait_idle()
    installs = SlackInstallations(distributed.store)
    assert installs.find_bot(enterprise_id=None, team_id="T1") is None
    assert installs.find_bot(enterprise_id=None, team_id="T2") is not None


def test_a_state_works_once_and_only_in_the_browser_that_started(distributed, slack):
    started, state_cookie = start_install(distributed)
    slack.install_as("U1", "T1")
    back = html.unescape(re.search(r'href="([^"]+)"', httpx.get(started.headers["location"]).text).group(1))
    redirect = f"{distributed.base_url}/slack/oauth_redirect?{urlsplit(back).query}"
    other_browser = distributed.http.get(redirect)
    assert other_browser.status_code == 400 and "different browser" in other_browser.text
    first = distributed.http.get(redirect, headers={"Cookie": f"{COOKIE}={state_cookie}"})
    assert first.status_code == 200
    again = distributed.http.get(redirect, headers={"Cookie": f"{COOKIE}={state_cookie}"})
    assert again.status_code >= 400
    assert len(slack.calls("oauth.v2.access")) == 1  # only the first finished the install


def test_a_cancelled_install_stores_nothing(distributed, slack):
    started, state_cookie = start_install(distributed)
    slack.install_as("U1", "T1", deny=True)
    back = html.unescape(re.search(r'href="([^"]+)"', httpx.get(started.headers["location"]).text).group(1))
    answer = distributed.http.get(f"{distributed.base_url}/slack/oauth_redirect?{urlsplit(back).query}",
                                  headers={"Cookie": f"{COOKIE}={state_cookie}"})
    assert answer.status_code == 200 and "was not installed" in answer.text and "cancelled" in answer.text
    assert SlackInstallations(distributed.store).find_bot(enterprise_id=None, team_id="T1") is None


def test_single_workspace_mode_has_no_install_routes(meetbot_single):
    assert meetbot_single.http.get(f"{meetbot_single.base_url}/slack/install").status_code == 404
    assert meetbot_single.http.get(f"{meetbot_single.base_url}/slack/oauth_redirect").status_code == 404


@pytest.fixture
def meetbot_single(tmp_path, slack):
    """SLACK_BOT_TOKEN set (with the client id and secret too, as for Sign in with Slack): one workspace."""
    client_id, client_secret = slack.openid_client
    settings = make_settings(tmp_path, slack.base_url, slack_client_id=client_id, slack_client_secret=client_secret)
    with running_meetbot(settings) as running:
        yield running


def test_meetbot_serve_installs_with_a_cookie_jar_browser_on_plain_http(tmp_path, slack):
    """`meetbot serve` started without SLACK_BOT_TOKEN (client id and secret only), driven by a client that
    follows redirects and keeps cookies as a browser does, on a plain-http URL (as in development)."""
    from tests.harness import meetbot_process
    from tests.test_serve import free_port

    port = free_port()
    slack.add_workspace("T2", "Two")
    settings = distributable_settings(tmp_path, slack, meetbot_public_url=f"http://127.0.0.1:{port}")
    with meetbot_process(settings, tmp_path, port=port) as (_, base_url), httpx.Client(follow_redirects=True) as browser:
        slack.install_as("U9", "T2")
        page = browser.get(f"{base_url}/slack/install")  # → Slack's page, with the state cookie kept
        back = html.unescape(re.search(r'href="([^"]+)"', page.text).group(1))
        done = browser.get(back)
        assert done.status_code == 200 and "meetbot was added to Two" in done.text, done.text
        again = browser.get(back)
        assert again.status_code == 400
    [exchanged] = slack.calls("oauth.v2.access")
    assert exchanged.body.get("redirect_uri") == f"http://127.0.0.1:{port}/slack/oauth_redirect"
