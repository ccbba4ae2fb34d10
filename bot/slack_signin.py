"""Sign in with Slack (OpenID Connect), used by linking to prove who is at the browser.

With `SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET` set, a Connect link first sends the browser to Slack's authorize
page (`{SLACK_OAUTH_URL}/openid/connect/authorize`, scope `openid`), then exchanges the code with
`openid.connect.token` and reads `openid.connect.userInfo` on `SLACK_API_URL`. The ID token comes straight from
Slack's token endpoint over TLS, so its `nonce` and `aud` are checked without verifying its signature
(OpenID Connect Core §3.1.3.7); the user and team ids come from userInfo.
"""

from __future__ import annotations

import base64
import hmac
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.errors import MeetbotError

USER_CLAIM = "https://slack.com/user_id"
TEAM_CLAIM = "https://slack.com/team_id"


class SignInFailed(MeetbotError):
    """Slack did not confirm who signed in (bad code, unreachable, a nonce that doesn't match)."""


@dataclass(frozen=True)
class SlackIdentity:
    user_id: str
    team_id: str


class SlackSignIn:
    """The three calls of the OpenID Connect code flow against Slack."""

    def __init__(self, client_id: str, client_secret: str, oauth_url: str, slack: WebClient) -> None:
        self.client_id = client_id
        self._client_secret = client_secret
        self.oauth_url = oauth_url.rstrip("/")
        self.slack = slack

    def authorize_url(self, redirect_uri: str, state: str, nonce: str, team_id: str) -> str:
        query = {"response_type": "code", "scope": "openid", "client_id": self.client_id, "state": state,
                 "nonce": nonce, "team": team_id, "redirect_uri": redirect_uri}
        return f"{self.oauth_url}/openid/connect/authorize?{urlencode(query)}"

    def identify(self, code: str, redirect_uri: str, nonce: str) -> SlackIdentity:
        """Who signed in: the code exchanged, the ID token's nonce checked, the ids read from userInfo."""
        try:
            tokens = self.slack.openid_connect_token(client_id=self.client_id, client_secret=self._client_secret,
                                                     code=code, redirect_uri=redirect_uri)
            claims = _jwt_claims(str(tokens.get("id_token") or ""))
            if not hmac.compare_digest(str(claims.get("nonce", "")), nonce) or claims.get("aud") != self.client_id:
                raise SignInFailed("the ID token is not for this sign-in")
            info = self.slack.openid_connect_userInfo(token=str(tokens.get("access_token") or ""))
        except (SlackApiError, SlackClientError, OSError) as exc:
            raise SignInFailed(f"Slack did not confirm the sign-in ({type(exc).__name__})") from exc
        user_id, team_id = info.get(USER_CLAIM), info.get(TEAM_CLAIM)
        if not isinstance(user_id, str) or not isinstance(team_id, str):
            raise SignInFailed("Slack's answer names no user or workspace")
        return SlackIdentity(user_id, team_id)


def _jwt_claims(token: str) -> dict:
    """The payload of a JWT, unverified (see the module docstring); {} when it isn't one."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}
