"""Slack installations (for Bolt's OAuth flow) on both backends: per workspace and per Grid org, encrypted at
rest, and uninstalling one workspace leaves the others."""

from __future__ import annotations

from slack_sdk.oauth.installation_store import Installation

from bot.stores.installations import SlackInstallations
from tests.stores.test_contract import opener, store  # noqa: F401 - fixtures: both backends


def installation(team: str | None, token: str, user: str = "U1", enterprise: str | None = None,
                 org_wide: bool = False) -> Installation:
    return Installation(app_id="A1", enterprise_id=enterprise, team_id=team, user_id=user, bot_token=token,
                        bot_id=f"B-{team}", bot_user_id=f"UB-{team}", bot_scopes="commands,chat:write",
                        is_enterprise_install=org_wide, installed_at=1_800_000_000.5,
                        bot_token_expires_at=1_800_043_200)


def test_two_workspaces_and_an_org_each_keep_their_own_token(store):  # noqa: F811
    installs = SlackInstallations(store)
    installs.save(installation("T1", "xoxb-one-SECRET"))
    installs.save(installation("T2", "xoxb-two-SECRET", user="U9"))
    installs.save(installation(None, "xoxb-org-SECRET", enterprise="E1", org_wide=True))
    assert installs.find_bot(enterprise_id=None, team_id="T1").bot_token == "xoxb-one-SECRET"
    assert installs.find_bot(enterprise_id=None, team_id="T2").bot_token == "xoxb-two-SECRET"
    assert installs.find_bot(enterprise_id="E1", team_id="T7", is_enterprise_install=True).bot_token == "xoxb-org-SECRET"
    assert installs.find_installation(enterprise_id=None, team_id="T2").user_id == "U9"  # the latest installer
    assert installs.find_installation(enterprise_id=None, team_id="T2", user_id="U9").bot_token == "xoxb-two-SECRET"
    rows = store._query("SELECT data_enc FROM slack_installations")
    assert len(rows) == 9 and not any("SECRET" in row["data_enc"] for row in rows)  # encrypted at rest

    installs.delete_all(enterprise_id=None, team_id="T1")  # app_uninstalled in T1
    assert installs.find_bot(enterprise_id=None, team_id="T1") is None
    assert installs.find_installation(enterprise_id=None, team_id="T1") is None
    assert installs.find_bot(enterprise_id=None, team_id="T2").bot_token == "xoxb-two-SECRET"


def test_background_work_finds_a_workspaces_token_by_its_team_alone(store):  # noqa: F811
    """Jobs and reminders know the workspace, not always its Grid org: a workspace install is found by team,
    a workspace in an org-wide install once a request from it was seen (or its enterprise is given)."""
    installs = SlackInstallations(store)
    installs.save(installation("T1", "xoxb-one"))
    installs.save(installation("T3", "xoxb-grid-ws", enterprise="E2"))  # a workspace install inside a Grid org
    installs.save(installation(None, "xoxb-org", enterprise="E1", org_wide=True))
    assert installs.bot_token_for("T1") == "xoxb-one"
    assert installs.bot_token_for("T3") == "xoxb-grid-ws"
    assert installs.bot_token_for("T5") is None
    assert installs.bot_token_for("T5", "E1") == "xoxb-org"
    installs.note_member("E1", "T5")
    installs.note_member("E1", "T5")  # noted once, however often
    assert installs.bot_token_for("T5") == "xoxb-org"
    assert store.member_teams("E1") == ["T5"]
    installs.delete_all(enterprise_id="E1", team_id=None)
    assert installs.bot_token_for("T5") is None and installs.bot_token_for("T1") == "xoxb-one"
