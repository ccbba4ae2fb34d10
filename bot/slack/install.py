"""Slack's install flow for many workspaces (Bolt's OAuth flow), shared by every instance through the store.

`GET /slack/install` redirects to Slack's authorize page (`SLACK_OAUTH_URL/oauth/v2/authorize`) with a signed,
single-use state (also set as a browser cookie by Bolt); `GET /slack/oauth_redirect` exchanges the code with
`oauth.v2.access` on `SLACK_API_URL` and stores the installation, encrypted, in meetbot's database. Bolt's file
state store is per machine, so the state here is an HMAC-signed token whose nonce the database marks used:
any instance can finish what another started, and a state works once.

Requests are then authorized from the stored bot (`StoredBotAuthorize`), without the `auth.test` round trip
Bolt's default makes on every request before the ack.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Sequence
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_utils import OAuthStateUtils

from bot import messages
from bot.linking import BadState, StateSigner, html_page
from bot.settings import Settings
from bot.stores import AccountStore
from bot.stores.installations import SlackInstallations

log = logging.getLogger("meetbot.install")
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_COOKIE = "slack-app-oauth-state"  # Bolt's cookie binding a state to the browser that started
STATE_SECONDS = 600  # Slack's authorize page, a login and a consent fit in ten minutes
# The bot scopes of manifest.yml (tests/test_manifest.py keeps the two equal).
BOT_SCOPES = ("commands", "chat:write", "chat:write.public", "users:read", "users:read.email", "channels:read",
              "groups:read", "im:read", "mpim:read", "channels:history", "groups:history")


class SignedStateStore(OAuthStateStore):
    """States any instance can check: signed with the app's key, expiring, and used at most once."""

    def __init__(self, signer: StateSigner, used: AccountStore, clock=time.time) -> None:
        self._signer = signer
        self._used = used
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args: Any, **kwargs: Any) -> str:
        return self._signer.sign({"k": "install", "n": secrets.token_urlsafe(16), "e": self._clock() + STATE_SECONDS})

    def consume(self, state: str) -> bool:
        try:
            payload = self._signer.verify(state)
        except BadState as exc:
            log.info("install state refused: %s", exc)
            return False
        if payload.get("k") != "install":
            return False
        return self._used.consume_state(f"install:{payload.get('n')}", self._clock())


class StoredBotAuthorize(Authorize):
    """The request's workspace's bot, read from the store (no auth.test per request). A workspace inside an
    Enterprise Grid org-wide install is noted, so background work can find the org's token later."""

    def __init__(self, installations: SlackInstallations) -> None:
        super().__init__()
        self._installations = installations
        self._members_noted: set[tuple[str, str]] = set()

    def __call__(self, *, context: Any, enterprise_id: str | None, team_id: str | None, user_id: str | None,
                 **_actor: Any) -> AuthorizeResult | None:
        org_wide = bool(context.is_enterprise_install)
        bot = self._installations.find_bot(enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=org_wide)
        if bot is None and enterprise_id and not org_wide:
            bot = self._installations.find_bot(enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True)
        if bot is None:
            log.info("no installation for team %s (enterprise %s)", team_id, enterprise_id)
            return None
        if bot.is_enterprise_install and enterprise_id and team_id and (enterprise_id, team_id) not in self._members_noted:
            self._installations.note_member(enterprise_id, team_id)
            self._members_noted.add((enterprise_id, team_id))
        return AuthorizeResult(enterprise_id=bot.enterprise_id or enterprise_id, team_id=team_id or bot.team_id,
                               bot_user_id=bot.bot_user_id, bot_id=bot.bot_id, bot_token=bot.bot_token,
                               bot_scopes=bot.bot_scopes, user_id=user_id)


class StateCookie(OAuthStateUtils):
    """Bolt's browser-binding cookie, `Secure` only when meetbot is served over https (a browser or client on a
    plain-http development URL would otherwise never send it back), and `SameSite=Lax` (sent on the top-level
    redirect back from Slack, not on cross-site subrequests)."""

    def __init__(self, secure: bool) -> None:
        super().__init__(cookie_name=STATE_COOKIE, expiration_seconds=STATE_SECONDS)
        self._flags = f"{'Secure; ' if secure else ''}HttpOnly; SameSite=Lax; Path=/"

    def build_set_cookie_for_new_state(self, state: str) -> str:
        return f"{self.cookie_name}={state}; {self._flags}; Max-Age={self.expiration_seconds}"

    def build_set_cookie_for_deletion(self) -> str:
        return f"{self.cookie_name}=; {self._flags}; Max-Age=0"


def _page(status: int, title: str, body: str, cookies: OAuthStateUtils) -> BoltResponse:
    page = html_page(str(status), title, body, [("Set-Cookie", cookies.build_set_cookie_for_deletion())])
    headers: dict[str, str | Sequence[str]] = dict(page.headers)
    return BoltResponse(status=status, body=page.body, headers=headers)


def install_pages(install_url: str, cookies: OAuthStateUtils) -> CallbackOptions:
    """What the installer's browser shows at the end: our words, no third-party images, the state cookie cleared."""

    def success(args: SuccessArgs) -> BoltResponse:
        team = args.installation.team_name or args.installation.enterprise_name or "your workspace"
        log.info("installed into team %s (enterprise %s)", args.installation.team_id, args.installation.enterprise_id)
        return _page(200, messages.PAGE_INSTALLED, messages.PAGE_INSTALLED_BODY.format(team=team), cookies)

    def failure(args: FailureArgs) -> BoltResponse:
        log.info("an install did not complete: %s", args.reason)
        if args.reason == "access_denied":
            return _page(200, messages.PAGE_NOT_INSTALLED, messages.PAGE_INSTALL_CANCELLED_BODY.format(install=install_url),
                         cookies)
        if args.reason in ("invalid_browser", "invalid_state", "missing_state", "missing_code"):
            return _page(400, messages.PAGE_NOT_INSTALLED, messages.PAGE_INSTALL_BAD_LINK_BODY.format(install=install_url),
                         cookies)
        body = messages.PAGE_INSTALL_FAILED_BODY.format(reason=args.reason, install=install_url)
        return _page(502 if args.reason == "invalid_code" else args.suggested_status_code, messages.PAGE_NOT_INSTALLED, body,
                     cookies)

    return CallbackOptions(success=success, failure=failure)


def install_settings(settings: Settings, installations: SlackInstallations, states: OAuthStateStore) -> OAuthSettings:
    """Bolt's OAuth settings for `/slack/install` and `/slack/oauth_redirect`."""
    secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else ""
    public_url = (settings.meetbot_public_url or "").rstrip("/")
    cookies = StateCookie(secure=not public_url.startswith("http://"))
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=f"{public_url}{REDIRECT_PATH}" if public_url else None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=False,  # straight to Slack's own page: it says what is being installed
        callback_options=install_pages(f"{public_url}{INSTALL_PATH}" if public_url else INSTALL_PATH, cookies),
        authorization_url=f"{settings.slack_oauth_url.rstrip('/')}/oauth/v2/authorize",
        installation_store=installations,
        state_store=states,
        state_cookie_name=STATE_COOKIE,
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )
    oauth.state_utils = cookies
    return oauth
