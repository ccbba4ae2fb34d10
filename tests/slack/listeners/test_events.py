"""Events API: Home tab, token revocation and uninstall clean up provider tokens."""

from __future__ import annotations

from slack_sdk.oauth.installation_store import Installation

from bot.stores import LinkedAccount
from bot.stores.installations import SlackInstallations
from tests.slack_payloads import event


def link_fake_account(store, user: str, provider: str = "zoom") -> None:
    store.save_account(LinkedAccount("T1", user, provider, f"{provider}-{user}", f"{user}@x.test", "at", "rt", 2e9))


def send(meetbot, payload: dict):
    return meetbot.post(event(payload), content_type="application/json")


def test_tokens_revoked_deletes_those_users_links(meetbot):
    link_fake_account(meetbot.store, "U1")
    link_fake_account(meetbot.store, "U2")
    response = send(meetbot, {"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": []}})
    assert response.status_code == 200
    meetbot.wait_idle()
    assert meetbot.store.get_account("T1", "U1", "zoom") is None
    assert meetbot.store.get_account("T1", "U2", "zoom") is not None


def test_app_uninstalled_deletes_every_link_and_the_installation_of_the_team(meetbot):
    installs = SlackInstallations(meetbot.store)
    for team in ("T1", "T2"):
        installs.save(Installation(app_id="A1", team_id=team, user_id="U1", bot_token=f"xoxb-{team}", bot_id="B1"))
    link_fake_account(meetbot.store, "U1")
    link_fake_account(meetbot.store, "U2", "dialpad")
    assert send(meetbot, {"type": "app_uninstalled"}).status_code == 200
    meetbot.wait_idle()
    assert meetbot.store.list_accounts("T1", "U1") == [] and meetbot.store.list_accounts("T1", "U2") == []
    assert installs.find_bot(enterprise_id=None, team_id="T1") is None
    assert installs.find_bot(enterprise_id=None, team_id="T2").bot_token == "xoxb-T2"  # other workspaces stay


def test_home_tab_shows_providers_and_upcoming_meetings(meetbot, slack):
    assert send(meetbot, {"type": "app_home_opened", "user": "U1", "tab": "home"}).status_code == 200
    [published] = slack.wait_for("views.publish")
    assert published.body["user_id"] == "U1"
    text = str(published.body["view"])
    assert "Jitsi" in text and "Zoom" in text and "None yet" in text
