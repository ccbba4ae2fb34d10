"""Only the Slack user a Connect link was made for can link an account, whoever the link reaches.

The attacks of issue #10 as real HTTP requests: a forwarded link, a tweaked link, a copied display name, a
signed-in hand-off, an account already linked to someone else. Alice owns the fake Zoom account
(alice@example.com) and is Slack user U1; Mallory is U2 (mallory@example.com) and wants Alice's Zoom under
his Slack user, so that his `/meet` runs on her account and he receives her host links.
"""

from __future__ import annotations

import base64
import json
import re

import pytest

from tests.harness import on_both_backends, running_meetbot  # noqa: F401 - both backends
from tests.providers.conftest import (
    PUBLIC, callback, confirm, connect_url, link, open_link, provider_settings, query_of, start_link,
)
from tests.slack_payloads import slash

ALICE, MALLORY = "U1", "U2"


@pytest.fixture(autouse=True)
def people(slack):
    slack.set_user(ALICE, email="Alice@Example.com", name="Alice A")
    slack.set_user(MALLORY, email="mallory@example.com", name="Mallory")


def nothing_linked(meetbot) -> None:
    for user in (ALICE, MALLORY):
        assert meetbot.store.get_account("T1", user, "zoom") is None


def dms_to(slack, user: str) -> list[str]:
    return [c.body["text"] for c in slack.calls("chat.postMessage") if c.body.get("channel") == user]


def alice_completes(meetbot, zoom, path: str) -> object:
    """Alice's browser opens `path`, presses the button, allows access at Zoom and comes back."""
    _, fields, cookie = open_link(meetbot, path)
    start = confirm(meetbot, "zoom", fields, cookie)
    assert start.status_code == 303
    query = query_of(start.headers["location"])
    return callback(meetbot, "zoom", {"code": zoom.authorize(query), "state": query["state"]}, cookie)


# -- without Sign in with Slack: the emails must match ------------------------------------------------------


def test_emails_matching_case_insensitively_link(meetbot, slack, zoom):
    page = alice_completes(meetbot, zoom, connect_url(meetbot, slack, "zoom", ALICE))
    assert page.status_code == 200 and "Zoom connected" in page.text
    assert meetbot.store.get_account("T1", ALICE, "zoom").email == "alice@example.com"


def test_a_forwarded_link_links_nothing(meetbot, slack, zoom):
    path = connect_url(meetbot, slack, "zoom", MALLORY)  # Mallory forwards his Connect link to Alice
    page = alice_completes(meetbot, zoom, path)
    assert page.status_code == 403 and "nothing was linked" in page.text and "same email" in page.text
    assert "Sign in with Slack" in page.text  # and how to link instead
    meetbot.wait_idle()
    nothing_linked(meetbot)
    [dm] = dms_to(slack, MALLORY)
    assert "I refused" in dm and "alice" not in dm.lower()  # Mallory learns nothing about Alice
    assert zoom.calls("revoke"), "the tokens meetbot won't keep are given back"


def test_a_tweaked_link_skips_no_step(meetbot, slack, zoom):
    path = connect_url(meetbot, slack, "zoom", MALLORY)
    tweaked = meetbot.http.get(meetbot.base_url + path + "&go=1", follow_redirects=False)
    assert tweaked.status_code == 200 and "location" not in tweaked.headers  # the old skip shows the page
    _, fields, cookie = open_link(meetbot, path)
    assert confirm(meetbot, "zoom", {"link": fields["link"]}, cookie).status_code == 400  # no CSRF token
    assert confirm(meetbot, "zoom", fields, None).status_code == 400  # a page opened in another browser
    _, _, other_cookie = open_link(meetbot, path)
    assert confirm(meetbot, "zoom", fields, other_cookie).status_code == 400  # its token, another cookie
    body, mac = fields["link"].split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**payload, "u": ALICE}).encode()).decode().rstrip("=")
    assert meetbot.http.get(f"{meetbot.base_url}/oauth/zoom/start", params={"link": f"{forged}.{mac}"}).status_code == 400
    # the Connect link itself is no callback state
    code = zoom.authorize({**query_of(confirm(meetbot, "zoom", fields, cookie).headers["location"])})
    assert callback(meetbot, "zoom", {"code": code, "state": fields["link"]}, cookie).status_code == 400
    nothing_linked(meetbot)


def test_a_copied_display_name_proves_nothing(meetbot, slack, zoom):
    slack.set_user(MALLORY, email="mallory@example.com", name="Alice A")  # Mallory renames himself as Alice
    path = connect_url(meetbot, slack, "zoom", MALLORY)
    page, _, _ = open_link(meetbot, path)
    shown = re.sub(r"value='[^']*'", "", page.text)  # the signed tokens are random bytes: "U2" may occur in them
    assert "Alice A" not in shown and "Mallory" not in shown and MALLORY not in shown
    assert "same email address" in page.text  # what will be checked instead
    assert alice_completes(meetbot, zoom, path).status_code == 403
    nothing_linked(meetbot)


def test_without_a_slack_email_nothing_is_linked(meetbot, slack, zoom):
    path = connect_url(meetbot, slack, "zoom", ALICE)
    slack.fail("users.info", "missing_scope", times=None)
    page = alice_completes(meetbot, zoom, path)
    assert page.status_code == 403 and "users:read.email" in page.text
    nothing_linked(meetbot)


def test_an_account_linked_to_another_slack_user_is_refused_until_they_unlink(meetbot, slack, zoom):
    link(meetbot, slack, zoom, "zoom", user=ALICE)
    slack.set_user("U3", email="alice@example.com")  # a second Slack user with the same address
    _, query, cookie = start_link(meetbot, slack, "zoom", user="U3")
    page = callback(meetbot, "zoom", {"code": zoom.authorize(query), "state": query["state"]}, cookie)
    assert page.status_code == 409 and "already linked to another Slack user" in page.text
    assert ALICE not in page.text and "Alice" not in page.text
    assert meetbot.store.get_account("T1", "U3", "zoom") is None
    assert meetbot.store.get_account("T1", ALICE, "zoom").status == "active"
    meetbot.post(slash("unlink zoom", user=ALICE, response_url=slack.response_url("unlink")))
    meetbot.wait_idle()
    link(meetbot, slack, zoom, "zoom", user="U3")
    assert meetbot.store.get_account("T1", "U3", "zoom").status == "active"


def test_a_code_exchange_that_times_out_is_not_resent(meetbot, slack, zoom):
    slack.set_email(ALICE, "alice@example.com")
    _, query, cookie = start_link(meetbot, slack, "zoom", ALICE)
    zoom.delay("token", 3)  # beyond meetbot's 2 s provider timeout
    page = callback(meetbot, "zoom", {"code": zoom.authorize(query), "state": query["state"]}, cookie)
    assert page.status_code == 502 and "answer in time" in page.text
    assert len(zoom.calls("token")) == 1
    nothing_linked(meetbot)


def test_dialpad_company_mode_takes_only_a_user_that_carries_the_email(tmp_path, slack, zoom, dialpad, backend):
    settings = provider_settings(tmp_path, slack, zoom, dialpad, **backend, dialpad_api_key="dialpad-company-key",
                                 dialpad_client_id=None, dialpad_client_secret=None)
    dialpad.ignore_email_filter()  # the lookup answers with Bob whatever email is asked for
    with running_meetbot(settings, provider_timeout=2.0) as meetbot:
        meetbot.post(slash("link dialpad", user=MALLORY, response_url=slack.response_url("mallory")))
        meetbot.wait_idle()
        slack.wait_for_note(MALLORY, "No active Dialpad user has the email mallory@example.com")
        assert meetbot.store.get_account("T1", MALLORY, "dialpad") is None


def test_dialpad_company_mode_refuses_an_account_linked_to_someone_else(tmp_path, slack, zoom, dialpad, backend):
    settings = provider_settings(tmp_path, slack, zoom, dialpad, **backend, dialpad_api_key="dialpad-company-key",
                                 dialpad_client_id=None, dialpad_client_secret=None)
    slack.set_user("U5", email="bob@example.com")
    slack.set_user("U6", email="BOB@example.com")
    with running_meetbot(settings, provider_timeout=2.0) as meetbot:
        for user in ("U5", "U6"):
            meetbot.post(slash("link dialpad", user=user, response_url=slack.response_url(user)))
            meetbot.wait_idle()
        slack.wait_for_note("U5", "Dialpad connected")
        slack.wait_for_note("U6", "already linked to another Slack user")
        assert meetbot.store.get_account("T1", "U6", "dialpad") is None


# -- with Sign in with Slack: the signed-in user and team must be the link's ----------------------------------


@pytest.fixture
def signin_meetbot(tmp_path, slack, zoom, dialpad, backend):
    settings = provider_settings(tmp_path, slack, zoom, dialpad, **backend, slack_client_id="slack-client",
                                 slack_client_secret="slack-secret", slack_oauth_url=f"http://127.0.0.1:{slack.port}")
    with running_meetbot(settings, provider_timeout=2.0) as running:
        yield running


def to_slack(meetbot, slack, path: str, cookie: str | None = None):
    """Open a Connect link and press "Sign in with Slack": (Slack's authorize query, the browser's cookie)."""
    page, fields, cookie = open_link(meetbot, path, cookie)
    assert "Sign in with Slack" in page.text
    start = confirm(meetbot, "zoom", fields, cookie)
    assert start.status_code == 303
    location = start.headers["location"]
    assert location.startswith(f"http://127.0.0.1:{slack.port}/openid/connect/authorize?")
    return query_of(location), cookie


def back_from_slack(meetbot, query: dict, code: str, cookie: str):
    return meetbot.http.get(f"{meetbot.base_url}/oauth/slack/callback", params={"code": code, "state": query["state"]},
                            headers={"Cookie": f"meetbot_link={cookie}"}, follow_redirects=False)


def test_sign_in_with_slack_then_zoom_links_the_signed_in_user(signin_meetbot, slack, zoom):
    meetbot = signin_meetbot
    slack.set_email(ALICE, "alice@work.example")  # another address than Zoom's: the sign-in is the proof here
    query, cookie = to_slack(meetbot, slack, connect_url(meetbot, slack, "zoom", ALICE))
    assert query["scope"] == "openid" and query["team"] == "T1" and query["nonce"]
    assert query["redirect_uri"] == f"{PUBLIC}/oauth/slack/callback"
    slack.sign_in_as(ALICE)
    page = meetbot.http.get(f"http://127.0.0.1:{slack.port}/openid/connect/authorize", params=query)  # the browser
    back = page.text.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert back.startswith(f"{PUBLIC}/oauth/slack/callback?")
    to_zoom = meetbot.http.get(meetbot.base_url + back[len(PUBLIC):], headers={"Cookie": f"meetbot_link={cookie}"},
                               follow_redirects=False)
    assert to_zoom.status_code == 302 and to_zoom.headers["location"].startswith(zoom.oauth_url + "/authorize?")
    [exchange] = slack.calls("openid.connect.token")
    assert exchange.headers["authorization"].startswith("Basic ") and slack.calls("openid.connect.userInfo")
    zoom_query = query_of(to_zoom.headers["location"])
    done = callback(meetbot, "zoom", {"code": zoom.authorize(zoom_query), "state": zoom_query["state"]}, cookie)
    assert done.status_code == 200 and "Zoom connected" in done.text
    assert meetbot.store.get_account("T1", ALICE, "zoom").email == "alice@example.com"


@pytest.mark.parametrize("user, team", [(ALICE, "T1"), (MALLORY, "T2")])
def test_a_forwarded_link_signed_in_as_someone_else_links_nothing(signin_meetbot, slack, zoom, user, team):
    meetbot = signin_meetbot
    query, cookie = to_slack(meetbot, slack, connect_url(meetbot, slack, "zoom", MALLORY))
    page = back_from_slack(meetbot, query, slack.openid_authorize(query, user=user, team=team), cookie)
    assert page.status_code == 403 and "nothing was linked" in page.text and "location" not in page.headers
    assert zoom.calls("authorize") == [] and zoom.calls("token") == []  # Zoom was never even asked
    meetbot.wait_idle()
    nothing_linked(meetbot)
    assert any("I refused" in text for text in dms_to(slack, MALLORY))


def test_a_signed_in_hand_off_to_another_browser_links_nothing(signin_meetbot, slack, zoom):
    """Mallory signs in as himself, then sends Alice the Zoom page he was sent to; her browser has opened his
    Connect link too, so it has a cookie, but not his."""
    meetbot = signin_meetbot
    path = connect_url(meetbot, slack, "zoom", MALLORY)
    query, mallory_cookie = to_slack(meetbot, slack, path)
    to_zoom = back_from_slack(meetbot, query, slack.openid_authorize(query, user=MALLORY), mallory_cookie)
    assert to_zoom.status_code == 302
    _, _, alice_cookie = open_link(meetbot, path)
    again = back_from_slack(meetbot, query, slack.openid_authorize(query, user=ALICE), alice_cookie)
    assert again.status_code == 400  # nor can Alice's browser finish Mallory's sign-in step
    zoom_query = query_of(to_zoom.headers["location"])
    page = callback(meetbot, "zoom", {"code": zoom.authorize(zoom_query), "state": zoom_query["state"]}, alice_cookie)
    assert page.status_code == 400
    assert callback(meetbot, "zoom", {"code": zoom.authorize(zoom_query), "state": query["state"]}, mallory_cookie).status_code == 400
    nothing_linked(meetbot)
