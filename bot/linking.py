"""Linking a Slack user's own Zoom or Dialpad account: `/oauth/{provider}/start` (GET, POST), `/callback`,
and `/oauth/slack/callback` for Sign in with Slack.

What makes a link belong to its owner (SECURITY.md, "Linking someone else's account"): the Connect link is a
signed, expiring, purpose-bound token naming team, Slack user and provider, shown only to that user. Opening it
(GET) only shows a page and sets a random per-browser cookie; going on is a POST carrying a CSRF token bound to
that cookie, and every later state names the browser (a hash of its cookie), so no step can be skipped or
handed to another browser. Then the person at the browser must be proven to be the Slack user in the state:
with `SLACK_CLIENT_ID`/`SLACK_CLIENT_SECRET` by Sign in with Slack (user *and* team ids must match) before the
provider is even asked; without them the provider account's email must equal the Slack user's email
(`users.info`, case-insensitive). A provider account linked to another Slack user of the workspace is refused
until they unlink it. PKCE (S256) binds the code to the flow; its verifier is derived from the nonce with the
server key, so it is never stored or sent to a browser. Each link completes once.
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

from bot import messages
from bot.slack.directory import UserDirectory
from bot.errors import MeetbotError, ProviderError
from bot.providers import ProviderRegistry
from bot.slack.notifier import SlackNotifier
from bot.slack_signin import SignInFailed, SlackSignIn
from bot.stores import AccountStore
from bot.stores import LinkedAccount

log = logging.getLogger("meetbot.linking")
STATE_TTL_SECONDS = 600
COOKIE = "meetbot_link"
MAX_FORM_BYTES = 8192
SIGNIN_PATH = "/oauth/slack/callback"


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

    def derive(self, purpose: str, *parts: str) -> str:
        """A value only the server can compute, bound to `purpose` and `parts` (a CSRF token, a PKCE verifier)."""
        message = ":".join((purpose, *parts)).encode()
        return _b64(hmac.new(self._key, message, hashlib.sha256).digest())

    def pkce_verifier(self, nonce: str) -> str:
        return self.derive("pkce", nonce)


def pkce_challenge(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode()).digest())



@dataclass
class Page:
    status: str
    body: str
    headers: list[tuple[str, str]]


_PAGE_HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                 ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")]


def html_page(status: str, title: str, body: str, headers: list[tuple[str, str]] | None = None, form: str = "") -> Page:
    """A small page: the title, one paragraph, and optionally a form (already built from escaped parts)."""
    doc = (
        "<!doctype html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"<title>{html.escape(title)}</title></head><body style='font-family:sans-serif;max-width:32em;margin:4em auto'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(body)}</p>{form}</body></html>"
    )
    return Page(status, doc, [*_PAGE_HEADERS, *(headers or [])])


def save_link(store: AccountStore, team_id: str, user_id: str, provider: str, provider_user_id: str, email: str | None,
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


def linked_elsewhere(store: AccountStore, team_id: str, user_id: str, provider: str, provider_user_id: str) -> bool:
    """Is this provider account already linked to another Slack user of the workspace? (Then it stays theirs.)"""
    return any(a.team_id == team_id and a.user_id != user_id
               for a in store.find_accounts_by_provider_user(provider, provider_user_id))


def same_email(a: str | None, b: str | None) -> bool:
    """Equal addresses, case-insensitively; two unknowns are not equal."""
    return a is not None and b is not None and a.strip() != "" and a.strip().casefold() == b.strip().casefold()


def confirm_page(label: str, where: str, signin: bool, action: str, fields: dict[str, str], cookie: str) -> Page:
    """What the link does and what will be checked, and a POST button. No name from Slack or the link is shown
    as proof of anything: display names are chosen by whoever made the link."""
    body = (messages.PAGE_CONFIRM_SIGNIN if signin else messages.PAGE_CONFIRM_EMAIL).format(label=label, where=where)
    button = messages.PAGE_CONFIRM_BUTTON_SIGNIN if signin else messages.PAGE_CONFIRM_BUTTON.format(label=label)
    hidden = "".join(f"<input type='hidden' name='{html.escape(k, quote=True)}' value='{html.escape(v, quote=True)}'>"
                     for k, v in fields.items())
    form = (f"<form method='post' action='{html.escape(action, quote=True)}'>{hidden}"
            f"<button type='submit' style='font-size:1.2em'>{html.escape(button)}</button></form>"
            f"<p>{html.escape(messages.PAGE_CONFIRM_NOT_ME)}</p>")
    return html_page("200 OK", messages.PAGE_CONFIRM.format(label=label), body, [("Set-Cookie", cookie)], form)


class Linker:
    """Builds Connect links and serves the OAuth routes for every OAuth provider in the registry."""

    def __init__(self, public_url: str, store: AccountStore, providers: ProviderRegistry, signer: StateSigner, notifier: SlackNotifier,
                 directory: UserDirectory, signin: SlackSignIn | None = None, clock: Callable[[], float] = time.time) -> None:
        self.public_url = public_url.rstrip("/")
        # `Secure` unless served on a plain-http development URL (where the cookie would never come back).
        self._secure = "" if self.public_url.startswith("http://") else "; Secure"
        self.store = store
        self.providers = providers
        self.signer = signer
        self.notifier = notifier
        self.directory = directory
        self.signin = signin
        self.clock = clock

    def redirect_uri(self, provider: str) -> str:
        return f"{self.public_url}/oauth/{provider}/callback"

    def connect_url(self, team_id: str, user_id: str, provider: str, team_name: str = "") -> str:
        token = self.signer.sign({"k": "link", "t": team_id, "u": user_id, "p": provider, "n": secrets.token_urlsafe(16),
                                  "e": int(self.clock()) + STATE_TTL_SECONDS, "tn": team_name})
        return f"{self.public_url}/oauth/{provider}/start?" + urlencode({"link": token})

    # -- tokens and the browser -------------------------------------------------------------------------

    def _verified(self, token: str, kind: str, provider_name: str | None) -> dict[str, Any]:
        """The payload of a token made for `kind` and this provider (None: whichever it names)."""
        payload = self.signer.verify(token)
        named = payload.get("p")
        if payload.get("k") != kind or named != (provider_name or named) or self.providers.get(str(named)) is None:
            raise BadState("wrong purpose or provider")
        return payload

    @staticmethod
    def _browser(cookies: dict[str, str]) -> str | None:
        value = cookies.get(COOKIE, "")
        return value if 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() else None

    def _browser_hash(self, browser: str) -> str:
        return self.signer.derive("browser", browser)[:22]

    def _next_state(self, payload: dict[str, Any], kind: str, browser: str, **extra: Any) -> str:
        keep = {k: payload[k] for k in ("t", "u", "p", "n", "e")}
        return self.signer.sign({**keep, "k": kind, "b": self._browser_hash(browser), **extra})

    def _bad(self, provider_name: str) -> Page:
        return html_page("400 Bad Request", messages.PAGE_BAD_LINK, messages.PAGE_BAD_LINK_BODY.format(name=provider_name))

    # -- routes -------------------------------------------------------------------------------------------

    def start(self, provider_name: str, query: dict[str, str], cookies: dict[str, str]) -> Page:
        """GET: the confirmation page (nothing else, whatever the query says) and the browser's cookie."""
        try:
            payload = self._verified(query.get("link", ""), "link", provider_name)
        except BadState:
            return self._bad(provider_name)
        browser = self._browser(cookies) or secrets.token_urlsafe(24)
        cookie = f"{COOKIE}={browser}; Path=/oauth; Max-Age={STATE_TTL_SECONDS}; HttpOnly{self._secure}; SameSite=Lax"
        fields = {"link": query["link"], "csrf": self.signer.derive("csrf", browser, payload["n"])}
        return confirm_page(self.providers.label(provider_name), payload.get("tn") or payload["t"], self.signin is not None,
                            f"/oauth/{provider_name}/start", fields, cookie)

    def proceed(self, provider_name: str, form: dict[str, str], cookies: dict[str, str]) -> Page:
        """POST from the confirmation page: with a CSRF token bound to this browser's cookie, go on to Sign in
        with Slack (when configured) or straight to the provider."""
        browser = self._browser(cookies)
        try:
            payload = self._verified(form.get("link", ""), "link", provider_name)
        except BadState:
            return self._bad(provider_name)
        if browser is None or not hmac.compare_digest(form.get("csrf", ""), self.signer.derive("csrf", browser, payload["n"])):
            return self._bad(provider_name)
        if self.signin is not None:
            state = self._next_state(payload, "signin", browser)
            location = self.signin.authorize_url(f"{self.public_url}{SIGNIN_PATH}", state,
                                                 self.signer.derive("oidc", payload["n"]), payload["t"])
        else:
            location = self._provider_url(provider_name, self._next_state(payload, "provider", browser), payload["n"])
        return Page("303 See Other", "", [("Location", location), ("Cache-Control", "no-store")])

    def _provider_url(self, provider_name: str, state: str, nonce: str) -> str:
        provider: Any = self.providers.get(provider_name)
        challenge = pkce_challenge(self.signer.pkce_verifier(nonce))
        return provider.authorize_url(self.redirect_uri(provider_name), state, challenge)

    def signed_in(self, _: str, query: dict[str, str], cookies: dict[str, str]) -> Page:
        """GET /oauth/slack/callback: the Slack user and team who signed in must be the state's, else nothing."""
        browser = self._browser(cookies)
        try:
            payload = self._verified(query.get("state", ""), "signin", None)
        except BadState:
            return self._bad(" or /meet link ".join(n for n in self.providers.names() if n != "jitsi"))
        provider_name = payload["p"]
        label = self.providers.label(provider_name)
        if browser is None or payload.get("b") != self._browser_hash(browser) or self.signin is None:
            return self._bad(provider_name)
        if query.get("error") or not query.get("code"):
            return html_page("400 Bad Request", messages.PAGE_DENIED.format(label=label),
                             messages.PAGE_DENIED_BODY.format(name=provider_name))
        try:
            who = self.signin.identify(query["code"], f"{self.public_url}{SIGNIN_PATH}", self.signer.derive("oidc", payload["n"]))
        except SignInFailed as exc:
            log.info("Sign in with Slack failed: %s", exc)
            return html_page("502 Bad Gateway", messages.PAGE_SIGNIN_FAILED, messages.PAGE_SIGNIN_FAILED_BODY.format(name=provider_name))
        if (who.user_id, who.team_id) != (payload["u"], payload["t"]):
            log.warning("a %s link for %s was opened by Slack user %s: refused", provider_name, payload["u"], who.user_id)
            return self._refuse(payload, label, messages.PAGE_WRONG_SLACK_USER, messages.PAGE_WRONG_SLACK_USER_BODY,
                                messages.REFUSED_WRONG_SLACK_USER)
        state = self._next_state(payload, "provider", browser, s=1)
        location = self._provider_url(provider_name, state, payload["n"])
        return Page("302 Found", "", [("Location", location), ("Cache-Control", "no-store")])

    def callback(self, provider_name: str, query: dict[str, str], cookies: dict[str, str]) -> Page:
        provider: Any = self.providers.get(provider_name)
        label = self.providers.label(provider_name)
        browser = self._browser(cookies)
        try:
            payload = self._verified(query.get("state", ""), "provider", provider_name)
        except BadState:
            return self._bad(provider_name)
        if browser is None or payload.get("b") != self._browser_hash(browser):
            return self._bad(provider_name)
        if self.signin is not None and not payload.get("s"):
            return self._bad(provider_name)  # a state from before Sign in with Slack was turned on
        if query.get("error"):
            return html_page("400 Bad Request", messages.PAGE_DENIED.format(label=label),
                             messages.PAGE_DENIED_BODY.format(name=provider_name))
        if not query.get("code") or not self.store.consume_state(payload["n"], self.clock()):
            return self._bad(provider_name)  # replayed: each link works once
        try:
            tokens = provider.exchange_code(query["code"], self.redirect_uri(provider_name), self.signer.pkce_verifier(payload["n"]))
            who = provider.identity(tokens.access_token)
        except ProviderError as exc:
            log.info("%s linking failed: %s", provider_name, type(exc).__name__)
            return html_page("502 Bad Gateway", messages.PAGE_FAILED.format(label=label),
                             messages.PAGE_FAILED_BODY.format(label=label, detail=messages.provider_problem(label, exc).rstrip("."), name=provider_name))
        team_id, user_id = payload["t"], payload["u"]
        refusal = self._refusal(payload, provider_name, who)
        if refusal is not None:
            self._drop(provider, tokens)
            return refusal
        is_default = save_link(self.store, team_id, user_id, provider_name, who.id, who.email,
                               tokens.access_token, tokens.refresh_token, tokens.expires_at, tokens.scope)
        self.tell(team_id, user_id, messages.linked(label, who.email or who.name or who.id, is_default))
        clear = f"{COOKIE}=; Path=/oauth; Max-Age=0; HttpOnly{self._secure}; SameSite=Lax"
        return html_page("200 OK", messages.PAGE_CONNECTED.format(label=label),
                         messages.PAGE_CONNECTED_BODY.format(label=label), [("Set-Cookie", clear)])

    def _refusal(self, payload: dict[str, Any], provider_name: str, who: Any) -> Page | None:
        """Why this provider account may not be linked to the state's Slack user, as the page to show; None if it may."""
        label = self.providers.label(provider_name)
        if self.signin is None:  # no Sign in with Slack: the emails must match
            slack_email = self.directory.get(payload["t"], payload["u"], fresh=True).email
            if not slack_email:
                return self._refuse(payload, label, messages.PAGE_NOT_LINKED, messages.PAGE_NO_SLACK_EMAIL_BODY,
                                    messages.REFUSED_NO_SLACK_EMAIL)
            if not same_email(slack_email, who.email):
                log.warning("a %s link for %s came back with another email: refused", provider_name, payload["u"])
                return self._refuse(payload, label, messages.PAGE_NOT_LINKED, messages.PAGE_EMAIL_MISMATCH_BODY,
                                    messages.REFUSED_EMAIL_MISMATCH)
        if linked_elsewhere(self.store, payload["t"], payload["u"], provider_name, who.id):
            return html_page("409 Conflict", messages.PAGE_NOT_LINKED.format(label=label),
                             messages.PAGE_TAKEN_BODY.format(label=label, name=provider_name))
        return None

    def _refuse(self, payload: dict[str, Any], label: str, title: str, body: str, why: str) -> Page:
        """Nothing is linked: the page says why and what to do; the Slack user in the state hears about it."""
        name = payload["p"]
        self.tell(payload["t"], payload["u"], messages.link_refused(label, name, why.format(label=label)))
        return html_page("403 Forbidden", title.format(label=label), body.format(label=label, name=name))

    @staticmethod
    def _drop(provider: Any, tokens: Any) -> None:
        """Give back tokens we won't keep (a courtesy: the grant would otherwise linger at the provider)."""
        try:
            provider.revoke(LinkedAccount("", "", provider.name, access_token=tokens.access_token))
        except ProviderError as exc:
            log.info("revoking refused %s tokens failed: %s", provider.name, type(exc).__name__)

    def tell(self, team_id: str, user_id: str, text: str) -> None:
        """A note from the browser side of linking: no conversation to answer in, so it is a DM."""
        self.notifier.tell(team_id, "", user_id, "", text)

    # -- WSGI -----------------------------------------------------------------------------------------

    def routes(self) -> dict[tuple[str, str], Callable]:
        table: dict[tuple[str, str], Callable] = {}
        for name in self.providers.names():
            if hasattr(self.providers.get(name), "authorize_url"):
                table[("GET", f"/oauth/{name}/start")] = self._wsgi(self.start, name)
                table[("POST", f"/oauth/{name}/start")] = self._wsgi(self.proceed, name)
                table[("GET", f"/oauth/{name}/callback")] = self._wsgi(self.callback, name)
        if self.signin is not None:
            table[("GET", SIGNIN_PATH)] = self._wsgi(self.signed_in, "slack")
        return table

    @staticmethod
    def _wsgi(handler: Callable[[str, dict, dict], Page], provider: str) -> Callable:
        def app(environ: dict, start_response: Callable) -> list[bytes]:
            raw = environ.get("QUERY_STRING", "")
            if environ.get("REQUEST_METHOD") == "POST":
                try:
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    length = 0
                raw = environ["wsgi.input"].read(min(max(length, 0), MAX_FORM_BYTES)).decode("utf-8", "replace")
            fields = {k: v[0] for k, v in parse_qs(raw).items()}
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(environ.get("HTTP_COOKIE", ""))
            except Exception:  # noqa: BLE001 - a garbled cookie header is just no cookie
                jar = SimpleCookie()
            page = handler(provider, fields, {k: m.value for k, m in jar.items()})
            data = page.body.encode()
            start_response(page.status, [*page.headers, ("Content-Length", str(len(data)))])
            return [data]

        return app
