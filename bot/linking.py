"""Linking a Slack user's own Zoom or Dialpad account: `/oauth/{provider}/start` and `/callback`.

The Connect link carries a signed, expiring token binding team, Slack user and provider. `start` sets a
cookie with the link's nonce and redirects to the provider with that token as `state` (plus PKCE S256,
whose verifier is derived from the nonce with the server key, so it is never stored or sent to a browser).
`callback` accepts the state only if the signature holds, it is younger than 10 minutes, it names this
provider, the browser carries the same nonce, and the nonce was never used before.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlencode

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import messages
from bot.errors import MeetbotError, ProviderError
from bot.providers import ProviderRegistry
from bot.store import LinkedAccount

log = logging.getLogger("meetbot.linking")
STATE_TTL_SECONDS = 600
COOKIE = "meetbot_link"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class BadState(MeetbotError):
    """The state or link token is tampered, expired, replayed, foreign or for another provider."""


class StateSigner:
    """HMAC-SHA256 signed JSON tokens with an expiry (`e`)."""

    def __init__(self, key: bytes, clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self._clock = clock

    def sign(self, payload: dict[str, Any]) -> str:
        body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
        mac = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
        return f"{body}.{_b64(mac)}"

    def verify(self, token: str) -> dict[str, Any]:
        try:
            body, mac = token.split(".", 1)
            expected = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _unb64(mac)):
                raise BadState("bad signature")
            payload = json.loads(_unb64(body))
        except (ValueError, TypeError, json.JSONDecodeError) as exc:
            raise BadState("malformed") from exc
        if not isinstance(payload, dict) or float(payload.get("e", 0)) < self._clock():
            raise BadState("expired")
        return payload

    def pkce_verifier(self, nonce: str) -> str:
        return _b64(hmac.new(self._key, f"pkce:{nonce}".encode(), hashlib.sha256).digest())


def pkce_challenge(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode()).digest())


@dataclass
class Page:
    status: str
    body: str
    headers: list[tuple[str, str]]


def html_page(status: str, title: str, body: str, headers: list[tuple[str, str]] | None = None) -> Page:
    doc = (
        "<!doctype html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"<title>{html.escape(title)}</title></head><body style='font-family:sans-serif;max-width:32em;margin:4em auto'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(body)}</p></body></html>"
    )
    return Page(status, doc, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"), *(headers or [])])


def save_link(store: Any, team_id: str, user_id: str, provider: str, provider_user_id: str, email: str | None,
              access_token: str | None, refresh_token: str | None, expires_at: float | None, scope: str | None) -> bool:
    """Store a link (the store encrypts tokens); make it the default if it is the user's first. True if default."""
    with store.transaction():
        others = [a for a in store.list_accounts(team_id, user_id) if a.status == "active" and a.provider != provider]
        store.save_account(LinkedAccount(team_id=team_id, user_id=user_id, provider=provider, provider_user_id=provider_user_id,
                                         email=email, access_token=access_token, refresh_token=refresh_token,
                                         expires_at=expires_at, scope=scope))
        if not others or not store.get_default_provider(team_id, user_id):
            store.set_default_provider(team_id, user_id, provider)
            return True
    return False


def confirm_page(label: str, who: str, where: str, continue_href: str) -> Page:
    title = messages.PAGE_CONFIRM.format(label=label)
    body = messages.PAGE_CONFIRM_BODY.format(label=label, who=who, where=where)
    doc = (
        "<!doctype html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"<title>{html.escape(title)}</title></head><body style='font-family:sans-serif;max-width:32em;margin:4em auto'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(body)}</p>"
        f"<p><a href='{html.escape(continue_href, quote=True)}' style='font-size:1.2em'>{html.escape(messages.PAGE_CONFIRM_BUTTON.format(label=label))}</a></p>"
        f"<p>{html.escape(messages.PAGE_CONFIRM_NOT_ME)}</p></body></html>"
    )
    return Page("200 OK", doc, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")])


class Linker:
    """Builds Connect links and serves the two OAuth routes for every OAuth provider in the registry."""

    def __init__(self, public_url: str, store: Any, providers: ProviderRegistry, signer: StateSigner, slack: WebClient,
                 clock: Callable[[], float] = time.time) -> None:
        self.public_url = public_url.rstrip("/")
        self.store = store
        self.providers = providers
        self.signer = signer
        self.slack = slack
        self.clock = clock

    def redirect_uri(self, provider: str) -> str:
        return f"{self.public_url}/oauth/{provider}/callback"

    def connect_url(self, team_id: str, user_id: str, provider: str, user_name: str = "", team_name: str = "") -> str:
        token = self.signer.sign({"t": team_id, "u": user_id, "p": provider, "n": secrets.token_urlsafe(16),
                                  "e": int(self.clock()) + STATE_TTL_SECONDS, "un": user_name, "tn": team_name})
        return f"{self.public_url}/oauth/{provider}/start?" + urlencode({"link": token})

    # -- routes ---------------------------------------------------------------------------------------

    def start(self, provider_name: str, query: dict[str, str], cookies: dict[str, str]) -> Page:
        provider = self.providers.linkable(provider_name)
        try:
            payload = self.signer.verify(query.get("link", ""))
            if payload.get("p") != provider_name or provider is None:
                raise BadState("wrong provider")
        except BadState:
            return html_page("400 Bad Request", messages.PAGE_BAD_LINK, messages.PAGE_BAD_LINK_BODY.format(name=provider_name))
        if query.get("go") != "1":  # first say whose Slack account this links, so nobody links theirs to a stranger's
            who = f"{payload.get('un') or payload['u']} ({payload['u']})"
            where = payload.get("tn") or payload["t"]
            label = self.providers.label(provider_name)
            return confirm_page(label, who, where, f"/oauth/{provider_name}/start?" + urlencode({"link": query["link"], "go": "1"}))
        challenge = pkce_challenge(self.signer.pkce_verifier(payload["n"]))
        location = provider.authorize_url(self.redirect_uri(provider_name), query["link"], challenge)
        cookie = f"{COOKIE}={payload['n']}; Path=/oauth/{provider_name}; Max-Age={STATE_TTL_SECONDS}; HttpOnly; Secure; SameSite=Lax"
        return Page("302 Found", "", [("Location", location), ("Set-Cookie", cookie), ("Cache-Control", "no-store")])

    def callback(self, provider_name: str, query: dict[str, str], cookies: dict[str, str]) -> Page:
        provider = self.providers.linkable(provider_name)
        label = self.providers.label(provider_name)
        bad = html_page("400 Bad Request", messages.PAGE_BAD_LINK, messages.PAGE_BAD_LINK_BODY.format(name=provider_name))
        try:
            payload = self.signer.verify(query.get("state", ""))
        except BadState:
            return bad
        if provider is None or payload.get("p") != provider_name or cookies.get(COOKIE) != payload.get("n"):
            return bad
        if query.get("error"):
            return html_page("400 Bad Request", messages.PAGE_DENIED.format(label=label),
                             messages.PAGE_DENIED_BODY.format(name=provider_name))
        if not query.get("code") or not self.store.consume_state(payload["n"], self.clock()):
            return bad  # replayed: each link works once
        try:
            tokens = provider.exchange_code(query["code"], self.redirect_uri(provider_name), self.signer.pkce_verifier(payload["n"]))
            who = provider.identity(tokens.access_token)
        except ProviderError as exc:
            log.info("%s linking failed: %s", provider_name, type(exc).__name__)
            return html_page("502 Bad Gateway", messages.PAGE_FAILED.format(label=label),
                             messages.PAGE_FAILED_BODY.format(label=label, detail=str(exc).rstrip("."), name=provider_name))
        is_default = save_link(self.store, payload["t"], payload["u"], provider_name, who.id, who.email,
                               tokens.access_token, tokens.refresh_token, tokens.expires_at, tokens.scope)
        self.tell(payload["u"], messages.linked(label, who.email or who.name or who.id, is_default))
        clear = f"{COOKIE}=; Path=/oauth/{provider_name}; Max-Age=0; HttpOnly; Secure; SameSite=Lax"
        return html_page("200 OK", messages.PAGE_CONNECTED.format(label=label),
                         messages.PAGE_CONNECTED_BODY.format(label=label), [("Set-Cookie", clear)])

    def tell(self, user_id: str, text: str) -> None:
        try:
            self.slack.chat_postMessage(channel=user_id, text=text)
        except (SlackApiError, SlackClientError) as exc:
            log.info("could not DM %s about linking: %s", user_id, type(exc).__name__)

    # -- WSGI -----------------------------------------------------------------------------------------

    def routes(self) -> dict[tuple[str, str], Callable]:
        table: dict[tuple[str, str], Callable] = {}
        for name in self.providers.names():
            if hasattr(self.providers.get(name), "authorize_url"):
                table[("GET", f"/oauth/{name}/start")] = self._wsgi(self.start, name)
                table[("GET", f"/oauth/{name}/callback")] = self._wsgi(self.callback, name)
        return table

    @staticmethod
    def _wsgi(handler: Callable[[str, dict, dict], Page], provider: str) -> Callable:
        def app(environ: dict, start_response: Callable) -> list[bytes]:
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            jar = SimpleCookie()
            try:
                jar.load(environ.get("HTTP_COOKIE", ""))
            except Exception:  # noqa: BLE001 - a garbled cookie header is just no cookie
                jar = SimpleCookie()
            page = handler(provider, query, {k: m.value for k, m in jar.items()})
            data = page.body.encode()
            start_response(page.status, [*page.headers, ("Content-Length", str(len(data)))])
            return [data]

        return app
