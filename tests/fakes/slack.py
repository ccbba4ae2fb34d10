"""A fake Slack Web API (and response_url target) on 127.0.0.1, over real HTTP.

Why a real server: meetbot's slack_sdk WebClient, Bolt's `respond()` and httpx all go through their real
serialisation and error handling, so the tests see exactly the bytes meetbot would send to Slack. Every
request is recorded as a `Call`; tests wait on a Condition (never a bare sleep) for calls to arrive.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, unquote_plus, urlencode, urlsplit
from zoneinfo import ZoneInfo

from tests.fakes.server import LoopbackServer

_JSON_FIELDS = ("view", "blocks", "attachments")
_VIEW_METHODS = ("views.open", "views.update", "views.push", "views.publish")
_AUTH = {"ok": True, "url": "https://fake.slack.com/", "team": "Fake", "user": "meetbot",
         "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"}
_DEFAULT = object()  # "use the default", as opposed to an explicit None


@dataclass(frozen=True)
class Call:
    """One request the fake received. `method` is the API method, or "response_url"."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict
    raw: bytes
    at: float

    @property
    def token(self) -> str:
        """The token the call was made with: the Bearer token, else a `token` form/JSON field, else ""."""
        auth = self.headers.get("authorization", "")
        return auth[len("Bearer "):] if auth.startswith("Bearer ") else str(self.body.get("token", ""))


@dataclass
class _Failure:
    error: str
    status: int
    times: int | None  # None: forever
    headers: dict[str, str]
    body: dict | str | None


def parse_body(raw: bytes, content_type: str) -> dict:
    """JSON or form bodies as a dict; form fields that Slack defines as JSON (view, blocks...) are decoded."""
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        loaded = json.loads(raw)
        return loaded if isinstance(loaded, dict) else {"_json": loaded}
    if content_type.startswith("application/x-www-form-urlencoded") or not content_type:
        return _form(raw.decode("utf-8", errors="replace"))
    return {"_raw": raw.decode("utf-8", errors="replace")}


def _form(text: str) -> dict:
    body = {key: values[0] for key, values in parse_qs(text, keep_blank_values=True).items()}
    for key in _JSON_FIELDS:
        value = body.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("{", "["):
            try:
                body[key] = json.loads(value)
            except ValueError:
                pass
    return body


def take_failure(failures: dict[str, list[Any]], name: str) -> Any | None:
    """Pop one use of the first injected failure queued for `name` (callers hold their lock)."""
    queue = failures.get(name)
    if not queue:
        return None
    failure = queue[0]
    if failure.times is not None:
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
    return failure


class FakeSlack(LoopbackServer):
    """Start it, point `WebClient(base_url=fake.base_url)` at it, then assert on `calls()` / `wait_for()`."""

    thread_name = "fake-slack"

    def __init__(self) -> None:
        super().__init__()
        self._cond = threading.Condition()
        self._calls: list[Call] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._delays: dict[str, float] = {}
        self._delay_uses: dict[str, int | None] = {}
        self._users: dict[str, dict] = {}
        self._history: dict[str, list[dict]] = {}  # channel -> posted messages, newest first
        self._view_ids = itertools.count(1)
        self._ts = itertools.count(1)
        self.openid_client = ("slack-client", "slack-secret")  # the app credentials Sign in with Slack accepts
        self._signed_in = ("U1", "T1")  # who the authorize page stand-in says is at the browser
        self._openid_codes: dict[str, dict] = {}
        self._openid_tokens: dict[str, tuple[str, str]] = {}
        self._workspaces: dict[str, dict] = {"T1": {"name": "Fake", "enterprise_id": None}}  # where the app installs
        self._installing: tuple[str, str, bool] = ("U1", "T1", False)  # who the install page says is at the browser
        self._install_codes: dict[str, dict] = {}
        self._bot_tokens: dict[str, str] = {}  # every bot token oauth.v2.access issued -> its team, oldest first
        self._revoked: set[str] = set()
        self.socket_mode_url = "ws://127.0.0.1:9/link"  # what apps.connections.open answers (a FakeSocketMode's url)
        self._conversations: dict[str, dict] = {}  # conversations.info/members; unknown ids are public channels

    # -- lifecycle: LoopbackServer (tests/fakes/server.py) -------------------------------------------

    def _handler(self):
        return _make_handler(self)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "default") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    @property
    def oauth_url(self) -> str:
        """SLACK_OAUTH_URL: where the browser-facing pages (/openid/connect/authorize, /oauth/v2/authorize) are."""
        return f"http://127.0.0.1:{self.port}"

    # -- configuration ---------------------------------------------------------------------------------

    def set_user(self, user_id: str, tz: str | None = "UTC", email: str | None = None, name: str | None = None) -> None:
        """What users.info answers for `user_id`; tz=None leaves the `tz` keys out, as Slack sometimes does."""
        with self._cond:
            self._users[user_id] = {"tz": tz, "email": email, "name": name}

    def set_admin(self, user_id: str, admin: bool = True) -> None:
        """Make users.info answer `is_admin` (a workspace admin) for `user_id`."""
        with self._cond:
            self._users.setdefault(user_id, {"tz": "UTC", "email": None, "name": None})["is_admin"] = admin

    def set_email(self, user_id: str, email: str) -> None:
        """Change only the email users.info answers for `user_id` (its zone and name stay)."""
        with self._cond:
            self._users.setdefault(user_id, {"tz": "UTC", "email": None, "name": None})["email"] = email

    def sign_in_as(self, user_id: str, team_id: str = "T1") -> None:
        """Who the authorize page (GET /openid/connect/authorize) says is signed in to Slack in the browser."""
        with self._cond:
            self._signed_in = (user_id, team_id)

    def openid_authorize(self, query: dict, user: str = "U1", team: str = "T1") -> str:
        """What the browser's visit to {SLACK_OAUTH_URL}/openid/connect/authorize?… does when `user` of `team` is
        signed in and allows it: the code Slack would redirect with. Checks the request as Slack would."""
        q = _single_values(query)
        assert q.get("response_type") == "code", f"response_type must be 'code', got {q.get('response_type')!r}"
        assert q.get("client_id") == self.openid_client[0], f"unknown client_id {q.get('client_id')!r}"
        assert "openid" in (q.get("scope") or "").split(), "scope must include openid"
        assert q.get("redirect_uri") and q.get("state") and q.get("nonce"), "redirect_uri, state and nonce are needed"
        self._record(Call("openid.authorize", "/openid/connect/authorize?" + urlencode(q), {}, q, b"", time.monotonic()))
        code = f"oidc-code-{secrets.token_hex(8)}"
        with self._cond:
            self._openid_codes[code] = {"redirect_uri": q["redirect_uri"], "nonce": q["nonce"], "user": user, "team": team}
        return code

    # -- installing the app (OAuth v2) into several workspaces -----------------------------------------

    def add_workspace(self, team_id: str, name: str = "", enterprise_id: str | None = None) -> None:
        """A workspace the app can be installed into (T1, named "Fake", exists already). `name` defaults to the id."""
        with self._cond:
            self._workspaces[team_id] = {"name": name or team_id, "enterprise_id": enterprise_id}

    def install_as(self, user_id: str = "U1", team_id: str = "T1", deny: bool = False) -> None:
        """Who is at the browser on the install page (GET /oauth/v2/authorize) and into which workspace they
        install; deny=True: they press Cancel, and the page links back with error=access_denied."""
        with self._cond:
            self._installing = (user_id, team_id, deny)

    def oauth_v2_authorize(self, query: dict, user: str = "U1", team: str = "T1") -> str:
        """What the browser's visit to {SLACK_OAUTH_URL}/oauth/v2/authorize?… does when `user` installs the app
        into `team` (add_workspace() it first, unless it is T1): the code Slack would redirect with.
        Checks the request as Slack would (AssertionError saying what is wrong)."""
        q = self._check_install(query, team)
        code = f"install-code-{secrets.token_hex(8)}"
        with self._cond:
            self._install_codes[code] = {"redirect_uri": q["redirect_uri"], "scope": q["scope"], "user": user,
                                         "team": team}
        return code

    def revoke_workspace(self, team_id: str) -> None:
        """Uninstall the app from `team_id`: every bot token issued for it answers invalid_auth from now on
        (a later install issues a fresh, working token)."""
        with self._cond:
            self._revoked.update(token for token, team in self._bot_tokens.items() if team == team_id)

    def tokens_for(self, team_id: str) -> list[str]:
        """Every bot token oauth.v2.access issued for `team_id`, oldest first (revoked ones included)."""
        with self._cond:
            return [token for token, team in self._bot_tokens.items() if team == team_id]

    def set_conversation(self, channel_id: str, *, private: bool = True, members: list[str] = (),
                         num_members: int | None = None) -> None:
        """What conversations.info and conversations.members answer for `channel_id` (`num_members`: the count
        conversations.info gives with include_num_members, default len(members))."""
        with self._cond:
            self._conversations[channel_id] = {"is_private": private, "members": list(members),
                                               "num_members": len(members) if num_members is None else num_members}

    def fail(self, method: str, error: str = "not_in_channel", *, status: int = 200, times: int | None = 1,
             headers: dict[str, str] | None = None, body: dict | str | None = None) -> None:
        """The next `times` calls of `method` (None: all of them) get `{"ok": false, "error": error}`."""
        with self._cond:
            self._failures.setdefault(method, []).append(_Failure(error, status, times, dict(headers or {}), body))

    def delay(self, method: str, seconds: float, times: int | None = None) -> None:
        """Answers to `method` wait `seconds` (a slow Slack; the call itself takes effect at once); 0 removes
        the delay. `times`: only the next `times` calls are slow."""
        with self._cond:
            self._delays[method] = seconds
            self._delay_uses[method] = times

    # -- inspection ------------------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    def calls_to(self, method: str) -> list[Call]:
        return self.calls(method)

    def calls_by_token(self, token: str) -> list[Call]:
        """Every call made with `token` (see Call.token), in order."""
        return [c for c in self.calls() if c.token == token]

    def clear(self) -> None:
        with self._cond:
            self._calls.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """All calls of `method`, once there are at least `count`; AssertionError after `timeout` seconds."""
        with self._cond:
            if self._cond.wait_for(lambda: self._count(method) >= count, timeout=timeout):
                return [c for c in self._calls if c.method == method]
            raise AssertionError(f"expected {count} call(s) to {method} within {timeout}s, "
                                 f"got {self._count(method)}; received: {self._summary()}")

    def assert_no_call(self, method: str, within: float = 0.3) -> None:
        """Fails if `method` was called, or is called within `within` seconds (clear() to forget old calls)."""
        with self._cond:
            if self._cond.wait_for(lambda: self._count(method) > 0, timeout=within):
                raise AssertionError(f"unexpected call to {method}: {self.calls(method)[0].body!r}; "
                                     f"received: {self._summary()}")

    def find_leaks(self, secrets: list[str], allow: Callable[[Call], bool] = lambda call: False,
                   ) -> list[tuple[Call, str]]:
        """(call, secret) for every recorded call whose body or URL carries a secret and that `allow` rejects.

        Bodies are checked raw, percent-decoded and as parsed JSON, so form encoding cannot hide a leak.
        """
        leaks = []
        for call in self.calls():
            text = call.raw.decode("utf-8", errors="replace")
            haystacks = (text, unquote_plus(text), call.path, unquote(call.path),
                         json.dumps(call.body, ensure_ascii=False, default=str))
            for secret in secrets:
                if secret and any(secret in h for h in haystacks) and not allow(call):
                    leaks.append((call, secret))
        return leaks

    def private_notes(self, user: str | None = None) -> list[Call]:
        """Ephemeral answers, in order: `chat.postEphemeral` to `user` (any user when None), and every
        ephemeral response_url post (those carry no user)."""
        return [c for c in self.calls() if (c.method == "chat.postEphemeral" and user in (None, c.body.get("user")))
                or (c.method == "response_url" and c.body.get("response_type", "ephemeral") == "ephemeral")]

    def wait_for_note(self, user: str = "U1", containing: str = "", timeout: float = 5.0) -> Call:
        """The first private note to `user` whose text contains `containing`, once it has arrived."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self.private_notes(user):
                    if containing in json.dumps(call.body, ensure_ascii=False):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._cond.wait(remaining):
                    raise AssertionError(f"no private note to {user} containing {containing!r} within {timeout}s; "
                                         f"received: {self._summary()}")

    def messages(self, channel: str) -> list[dict]:
        """What chat.postMessage put in `channel` (newest first), as conversations.history returns it."""
        with self._cond:
            return [dict(m) for m in self._history.get(channel, [])]

    def _count(self, method: str) -> int:
        return sum(1 for c in self._calls if c.method == method)

    def _summary(self) -> str:
        return ", ".join(f"{m} x{n}" for m, n in Counter(c.method for c in self._calls).items()) or "nothing"

    # -- request handling (called from server threads) -------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def _take_failure(self, method: str) -> _Failure | None:
        with self._cond:
            return take_failure(self._failures, method)

    def _pause(self, method: str) -> None:
        with self._cond:
            seconds = self._delays.get(method, 0)
            uses = self._delay_uses.get(method)
            if seconds and uses is not None:
                self._delay_uses[method] = uses - 1
                if uses <= 1:
                    self._delays[method] = 0
        if seconds > 0:
            self._stopping.wait(seconds)

    def _installed(self, token: str) -> tuple[str, dict] | None:
        """(team id, workspace) a bot token from oauth.v2.access belongs to; None for tokens the fake never issued."""
        with self._cond:
            team = self._bot_tokens.get(token)
            return None if team is None else (team, dict(self._workspaces[team]))

    def _is_revoked(self, token: str) -> bool:
        with self._cond:
            return token in self._revoked

    def _answer(self, method: str, body: dict, token: str = "") -> dict:
        """Slack's answer to `method`, for the workspace `token` was installed into (T1 for tokens not issued here)."""
        installed = self._installed(token)
        if method == "auth.test":
            if installed is None:
                return dict(_AUTH)
            team, workspace = installed
            answer = {**_AUTH, "team": workspace["name"], "team_id": team, "user_id": f"UBOT{team}",
                      "bot_id": f"B{team}", "is_enterprise_install": False}
            if workspace["enterprise_id"]:
                answer["enterprise_id"] = workspace["enterprise_id"]
            return answer
        if method == "auth.revoke" and installed is not None:
            testing = str(body.get("test")).lower() in ("1", "true")
            if not testing:
                with self._cond:
                    self._revoked.add(token)
            return {"ok": True, "revoked": not testing}
        if method in ("conversations.info", "conversations.members"):
            channel = str(body.get("channel", ""))
            with self._cond:
                known = self._conversations.get(channel, {"is_private": False, "members": [], "num_members": 0})
            if method == "conversations.members":
                return {"ok": True, "members": known["members"], "response_metadata": {"next_cursor": ""}}
            answer = {"id": channel, "is_channel": True, "is_private": known["is_private"]}
            if body.get("include_num_members") in (True, "true", "1", 1):
                answer["num_members"] = known["num_members"]
            return {"ok": True, "channel": answer}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_mode_url}
        if method == "users.info":
            team = "T1" if installed is None else installed[0]
            return {"ok": True, "user": self._user(str(body.get("user", "")), team)}
        if method in _VIEW_METHODS:
            sent = body.get("view")
            sent = dict(sent) if isinstance(sent, dict) else {}
            if method == "views.update":
                view_id = body.get("view_id") or sent.get("id") or f"V{next(self._view_ids)}"
            else:
                view_id = f"V{next(self._view_ids)}"
            return {"ok": True, "view": {**sent, "id": view_id, "hash": "h1", "state": {"values": {}}}}
        if method == "chat.postMessage":
            message = {"ts": self._next_ts(), "text": body.get("text"), "blocks": body.get("blocks")}
            if isinstance(body.get("metadata"), dict):
                message["metadata"] = body["metadata"]
            with self._cond:
                self._history.setdefault(str(body.get("channel")), []).insert(0, message)
            return {"ok": True, "channel": body.get("channel"), "ts": message["ts"], "message": message}
        if method == "chat.scheduleMessage":
            return {"ok": True, "channel": body.get("channel"), "post_at": body.get("post_at"),
                    "scheduled_message_id": f"Q{next(self._view_ids)}"}
        if method == "chat.update":
            with self._cond:
                for message in self._history.get(str(body.get("channel")), []):
                    if message["ts"] == body.get("ts"):
                        message.update(text=body.get("text"), blocks=body.get("blocks"))
                        return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")}
            return {"ok": False, "error": "message_not_found"}
        if method == "conversations.history":
            with self._cond:
                messages = [dict(m) for m in self._history.get(str(body.get("channel")), [])]
            if str(body.get("include_all_metadata")).lower() not in ("1", "true"):
                for message in messages:
                    message.pop("metadata", None)
            return {"ok": True, "messages": messages[: int(body.get("limit") or 100)], "has_more": False}
        if method == "chat.getPermalink":
            channel, ts = str(body.get("channel")), str(body.get("message_ts"))
            return {"ok": True, "channel": channel,
                    "permalink": f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "conversations.open":
            first = str(body.get("users") or body.get("channel") or "").split(",")[0]
            return {"ok": True, "channel": {"id": f"D{first}"}}
        return {"ok": True}

    def _openid(self, method: str, headers: dict[str, str], body: dict) -> dict:
        """openid.connect.token (client credentials as HTTP Basic or in the form) and openid.connect.userInfo."""
        if method == "openid.connect.token":
            if _client_credentials(headers, body) != self.openid_client:
                return {"ok": False, "error": "invalid_client_id"}
            with self._cond:
                entry = self._openid_codes.pop(str(body.get("code", "")), None)
            if entry is None or entry["redirect_uri"] != body.get("redirect_uri"):
                return {"ok": False, "error": "invalid_code"}
            token = f"xoxp-oidc-{secrets.token_hex(8)}"
            with self._cond:
                self._openid_tokens[token] = (entry["user"], entry["team"])
            claims = {"iss": "https://slack.com", "sub": entry["user"], "aud": self.openid_client[0],
                      "nonce": entry["nonce"], "https://slack.com/user_id": entry["user"],
                      "https://slack.com/team_id": entry["team"]}
            part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).decode().rstrip("=")  # noqa: E731
            id_token = f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"
            return {"ok": True, "access_token": token, "token_type": "Bearer", "id_token": id_token}
        auth = headers.get("authorization", "")
        with self._cond:
            who = self._openid_tokens.get(auth[len("Bearer "):] if auth.startswith("Bearer ") else "")
        if who is None:
            return {"ok": False, "error": "invalid_auth"}
        return {"ok": True, "sub": who[0], "https://slack.com/user_id": who[0], "https://slack.com/team_id": who[1]}

    def _authorize_page(self, query: str) -> tuple[int, str]:
        """GET /openid/connect/authorize: a page linking back with a code for whoever sign_in_as() named."""
        with self._cond:
            user, team = self._signed_in
        return _consent_page(query, lambda q: {"code": self.openid_authorize(q, user, team)})

    def _install_page(self, query: str) -> tuple[int, str]:
        """GET /oauth/v2/authorize: a page linking back with a code (or error=access_denied) as install_as() said."""
        with self._cond:
            user, team, deny = self._installing

        def decide(q: dict) -> dict[str, str]:
            if deny:
                self._check_install(q, team)
                return {"error": "access_denied"}
            return {"code": self.oauth_v2_authorize(q, user, team)}
        return _consent_page(query, decide)

    def _check_install(self, query: dict, team: str) -> dict[str, str]:
        """Records the install request as Call "oauth.v2.authorize", then checks it as Slack's install page would."""
        q = _single_values(query)
        self._record(Call("oauth.v2.authorize", "/oauth/v2/authorize?" + urlencode(q), {}, q, b"", time.monotonic()))
        assert q.get("client_id") == self.openid_client[0], f"unknown client_id {q.get('client_id')!r}"
        assert q.get("scope"), "scope must name at least one bot scope"
        assert q.get("state"), "state is missing"
        assert q.get("redirect_uri"), "redirect_uri is missing"
        with self._cond:
            assert team in self._workspaces, f"no workspace {team!r}: call fake.add_workspace({team!r}) first"
        return q

    def _oauth_v2_access(self, headers: dict[str, str], body: dict) -> dict:
        """oauth.v2.access: a code from the install page (single use, same redirect_uri) for a fresh bot token."""
        if _client_credentials(headers, body) != self.openid_client:
            return {"ok": False, "error": "invalid_client_id"}
        code = str(body.get("code", ""))
        with self._cond:
            entry = self._install_codes.get(code)
            if entry is None:
                return {"ok": False, "error": "invalid_code"}
            if entry["redirect_uri"] != body.get("redirect_uri"):
                return {"ok": False, "error": "bad_redirect_uri"}
            del self._install_codes[code]
            team = entry["team"]
            workspace = self._workspaces[team]
            token = f"xoxb-{team}-{secrets.token_hex(8)}"
            self._bot_tokens[token] = team
        enterprise = workspace["enterprise_id"]
        return {"ok": True, "app_id": "A0FAKE", "authed_user": {"id": entry["user"]}, "scope": entry["scope"],
                "token_type": "bot", "access_token": token, "bot_user_id": f"UBOT{team}",
                "team": {"id": team, "name": workspace["name"]},
                "enterprise": {"id": enterprise, "name": enterprise} if enterprise else None,
                "is_enterprise_install": False}

    def _next_ts(self) -> str:
        return f"{1700000000 + next(self._ts)}.000100"

    def _user(self, user_id: str, team: str = "T1") -> dict:
        with self._cond:
            known = dict(self._users.get(user_id, {}))
        tz = known.get("tz", "UTC")
        name = known.get("name") or user_id.lower()
        email = known.get("email") or f"{user_id.lower()}@example.com"
        user = {"id": user_id, "team_id": team, "name": name, "real_name": name, "is_admin": bool(known.get("is_admin")),
                "is_owner": False, "profile": {"email": email, "display_name": name, "real_name": name}}
        if tz is not None:
            user.update(tz=tz, tz_label=tz, tz_offset=_offset(tz))
        return user


def _single_values(query: dict) -> dict[str, str]:
    """A query as parse_qs gives it (lists) or as a test writes it (strings): one string per key."""
    return {k: (v[0] if isinstance(v, list) else v) for k, v in query.items()}


def _client_credentials(headers: dict[str, str], body: dict) -> tuple[str | None, str | None]:
    """The app's (client_id, client_secret): from HTTP Basic auth when sent, else from the form."""
    auth = headers.get("authorization", "")
    if auth.startswith("Basic "):
        try:
            client_id, _, secret = base64.b64decode(auth[6:], validate=True).decode().partition(":")
        except ValueError:
            return None, None
        return client_id, secret
    return body.get("client_id"), body.get("client_secret")


def _consent_page(query: str, decide: Callable[[dict], dict[str, str]]) -> tuple[int, str]:
    """A browser page stand-in: 400 with the reason when `decide` rejects the request (AssertionError), else a
    link back to its redirect_uri carrying what `decide` answered (a code, or an error) and the state."""
    q = _single_values(parse_qs(query))
    try:
        answer = decide(q)
    except AssertionError as error:
        return 400, f"<p>{html.escape(str(error))}</p>"
    back = f"{q['redirect_uri']}?{urlencode({**answer, 'state': q['state']})}"
    button = "Allow" if "code" in answer else "Cancel"
    return 200, f'<p><a href="{html.escape(back)}">{button}</a></p>'


def _offset(tz: str) -> int:
    """Seconds east of UTC right now, like Slack's tz_offset (0 for names zoneinfo does not know)."""
    try:
        return int(datetime.now(timezone.utc).astimezone(ZoneInfo(tz)).utcoffset().total_seconds())
    except (KeyError, ValueError):
        return 0


def _make_handler(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """Records the request, then answers as Slack would (or as fail()/delay() said)."""

        def do_POST(self) -> None:
            self._handle()

        do_GET = do_POST  # slack_sdk sends users.info as GET with query parameters

        def log_message(self, format: str, *args) -> None:  # keep test output quiet
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            url = urlsplit(self.path)
            body = _form(url.query) if url.query else {}
            body.update(parse_body(raw, headers.get("content-type", "")))
            if url.path.startswith("/api/"):
                method = url.path[len("/api/"):]
            elif url.path.startswith("/response/"):
                method = "response_url"
                body["_response_name"] = url.path[len("/response/"):]
            else:
                method = url.path
            call = Call(method, self.path, headers, body, raw, time.monotonic())
            fake._record(call)
            if method == "response_url":
                fake._pause(method)
                failure = fake._take_failure(method)
                if failure is None:
                    return self._send(200, "ok")
                return self._send(failure.status, failure.body if failure.body is not None else failure.error,
                                  failure.headers)
            if url.path == "/openid/connect/authorize":
                return self._send(*fake._authorize_page(url.query))
            if url.path == "/oauth/v2/authorize":
                return self._send(*fake._install_page(url.query))
            if not url.path.startswith("/api/"):
                return self._send(404, {"ok": False, "error": "unknown_path"})
            if method.startswith("openid.connect."):
                return self._send(200, fake._openid(method, headers, body))
            token = call.token
            if method != "oauth.v2.access" and not token.startswith(
                    "xapp-" if method == "apps.connections.open" else "xoxb-"):
                return self._send(200, {"ok": False, "error": "not_authed"})
            if fake._is_revoked(token):  # an uninstalled app's token is dead for every method
                return self._send(200, {"ok": False, "error": "invalid_auth"})
            failure = fake._take_failure(method)
            if failure is not None:
                fake._pause(method)
                answer = failure.body if failure.body is not None else {"ok": False, "error": failure.error}
                return self._send(failure.status, answer, failure.headers)
            answer = (fake._oauth_v2_access(headers, body) if method == "oauth.v2.access"
                      else fake._answer(method, body, token))  # Slack acts first; a delay() only holds back the answer
            fake._pause(method)
            self._send(200, answer)

        def _send(self, status: int, answer: dict | str, headers: dict[str, str] | None = None) -> None:
            if isinstance(answer, str):
                data, content_type = answer.encode(), "text/plain; charset=utf-8"
            else:
                data, content_type = json.dumps(answer).encode(), "application/json; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler
