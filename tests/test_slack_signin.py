"""Sign in with Slack against the fake Slack: the ids come from userInfo, and an ID token minted for another
sign-in (another nonce) or another app is refused."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from slack_sdk import WebClient

from bot.slack_signin import SignInFailed, SlackSignIn

REDIRECT = "https://meetbot.example.test/oauth/slack/callback"


def signin(slack, client_id: str = "slack-client") -> SlackSignIn:
    return SlackSignIn(client_id, "slack-secret", f"http://127.0.0.1:{slack.port}", WebClient(base_url=slack.base_url))


def code_for(slack, sign: SlackSignIn, nonce: str, user: str = "U7", team: str = "T9") -> str:
    url = sign.authorize_url(REDIRECT, "state-1", nonce, "T9")
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    return slack.openid_authorize(query, user=user, team=team)


def test_identify_returns_the_signed_in_user_and_team(slack):
    sign = signin(slack)
    who = sign.identify(code_for(slack, sign, "n-1"), REDIRECT, "n-1")
    assert (who.user_id, who.team_id) == ("U7", "T9")


def test_an_id_token_for_another_nonce_is_refused(slack):
    sign = signin(slack)
    with pytest.raises(SignInFailed):
        sign.identify(code_for(slack, sign, "n-1"), REDIRECT, "n-2")
    assert slack.calls("openid.connect.userInfo") == []


def test_a_bad_code_or_wrong_credentials_fail_cleanly(slack):
    sign = signin(slack)
    with pytest.raises(SignInFailed):
        sign.identify("oidc-code-nope", REDIRECT, "n-1")
    slack.openid_client = ("other-app", "slack-secret")
    other = signin(slack, client_id="other-app")
    code = code_for(slack, other, "n-1")
    slack.openid_client = ("other-app", "wrong")
    with pytest.raises(SignInFailed):
        other.identify(code, REDIRECT, "n-1")
