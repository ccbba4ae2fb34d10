"""bot.slack.clients: one client in single-workspace mode, each workspace's own token otherwise."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from slack_sdk.errors import SlackClientError
from slack_sdk.oauth.installation_store import Installation

from bot.settings import Settings
from bot.slack.clients import NotInstalled, SlackClients, distributable
from bot.stores import open_store
from bot.stores.installations import SlackInstallations


def settings(tmp_path, **values) -> Settings:
    return Settings(_env_file=None, meetbot_db=str(tmp_path / "m.db"), meetbot_secret_key=Fernet.generate_key().decode(),
                    slack_api_url="http://127.0.0.1:9/api/", **values)


@pytest.fixture
def installs(tmp_path):
    store = open_store(settings(tmp_path))
    yield SlackInstallations(store)
    store.close()


def test_which_mode():
    assert not distributable(Settings(_env_file=None, slack_bot_token="xoxb-1"))
    assert not distributable(Settings(_env_file=None, slack_bot_token="xoxb-1", slack_client_id="c", slack_client_secret="s"))
    assert distributable(Settings(_env_file=None, slack_client_id="c", slack_client_secret="s"))
    assert not distributable(Settings(_env_file=None, slack_client_id="c"))


def test_single_workspace_mode_always_uses_the_bot_token(tmp_path, installs):
    clients = SlackClients(settings(tmp_path, slack_bot_token="xoxb-fixed"), installs)
    assert not clients.distributable
    assert clients.for_team("T1") is clients.base is clients.for_team("T9")
    assert clients.base.token == "xoxb-fixed"


def test_each_workspace_gets_its_own_token_and_a_missing_one_is_a_slack_client_error(tmp_path, installs):
    clock = [0.0]
    clients = SlackClients(settings(tmp_path, slack_client_id="c", slack_client_secret="s"), installs, ttl=60,
                           clock=lambda: clock[0])
    installs.save(Installation(app_id="A1", team_id="T1", user_id="U1", bot_token="xoxb-one", bot_id="B1"))
    installs.save(Installation(app_id="A1", team_id="T2", user_id="U2", bot_token="xoxb-two", bot_id="B2"))
    assert clients.base.token is None
    assert clients.for_team("T1").token == "xoxb-one" and clients.for_team("T2").token == "xoxb-two"
    with pytest.raises(SlackClientError):  # what every caller already handles as "Slack unreachable"
        clients.for_team("T3")
    with pytest.raises(NotInstalled):
        clients.for_team("T3")
    installs.delete_all(enterprise_id=None, team_id="T1")
    assert clients.for_team("T1").token == "xoxb-one"  # kept a short while (another instance's uninstall)
    clock[0] = 61
    with pytest.raises(NotInstalled):
        clients.for_team("T1")
    installs.delete_all(enterprise_id=None, team_id="T2")
    clients.forget("T2")  # this instance's own uninstall: at once
    with pytest.raises(NotInstalled):
        clients.for_team("T2")
