"""A fake Zoom (OAuth at /oauth, REST API at /v2) on 127.0.0.1, over real HTTP.

Why: meetbot's Zoom client must survive what the real Zoom does — rotating refresh tokens, 1-hour access
tokens (code 124), HTTP 300 validation errors, a response lost after the meeting was made — and tests must
see the exact bytes it sends. The validation rules follow the "Create a meeting" reference, so a request
this fake accepts has the shape Zoom accepts. `OAuthProviderFake` (the server, recording, fault injection and
the OAuth code/token store) is shared with tests/fakes/dialpad.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import itertools
import json
import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import NamedTuple
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx

from tests.fakes.server import LoopbackServer
from tests.fakes.slack import Call, parse_body, take_failure

CODE_TTL = 300.0  # authorization codes live 5 minutes and are single use (Zoom and Dialpad alike)
ME = {"id": "zoomuser1", "account_id": "acct1", "email": "alice@example.com", "first_name": "Alice",
      "last_name": "A", "timezone": "America/Los_Angeles", "type": 2}
_SETTINGS = {"host_video": False, "participant_video": False, "join_before_host": False, "mute_upon_entry": False,
             "waiting_room": True, "approval_type": 2, "audio": "both", "auto_recording": "none"}
_START = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?")
_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class Answer(NamedTuple):
    """What a route answers; `after` = seconds to wait after acting and before answering."""

    status: int
    body: dict | str
    headers: dict[str, str] | None = None
    after: float = 0.0


@dataclass
class _Failure:
    status: int
    body: dict | str | None
    headers: dict[str, str]
    times: int | None  # None: forever


def is_int(value: object) -> bool:
    """A JSON integer: not a bool, not a float, not a numeric string (APIs reject those, so must the fakes)."""
    return type(value) is int


def single(query: dict) -> dict[str, str]:
    """parse_qs-style {k: [v]} or plain {k: v} → {k: v}."""
    return {k: (v[0] if isinstance(v, list) else v) for k, v in query.items()}


def require(condition: object, message: str) -> None:
    if not condition:
        raise AssertionError(message)


class OAuthProviderFake(LoopbackServer):
    """A threaded HTTP server with call recording, fail()/delay() injection and an OAuth2 store: single-use
    codes bound to redirect_uri and PKCE challenge, 1-hour access tokens, refresh tokens that ROTATE.
    Subclasses set the paths and answer requests by name in `_route`."""

    oauth_path = api_path = ""
    token_prefix = "fake"
    expires_in = 3600
    form_credentials = False  # may client_id/client_secret come in the token form instead of Basic auth?
    invalid_client = "Invalid client credentials"
    invalid_code = "Invalid authorization code"
    invalid_refresh = "Invalid refresh token"

    def __init__(self, client_id: str, client_secret: str) -> None:
        super().__init__()
        self.thread_name = f"fake-{self.token_prefix}"
        self.client_id, self.client_secret = client_id, client_secret
        self.refresh_count = 0  # successful refresh_token grants
        self.invalid_grant_count = 0  # invalid_grant answers the fake decided on (injected ones are not counted)
        self.query_leaks: list[str] = []  # token-endpoint paths that carried a code/refresh_token in the URL
        self.answered: Counter[str] = Counter()  # answers sent, by request name
        self._cond = threading.Condition()
        self._calls: list[Call] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._delays: dict[str, float] = {}
        self._refresh_delay = 0.0
        self._codes: dict[str, dict] = {}
        self._access: dict[str, dict] = {}  # token -> {"expires": monotonic, "revoked": bool, "refresh": str}
        self._refresh: dict[str, dict] = {}  # live refresh token -> {"scope": str}

    # -- lifecycle: LoopbackServer (tests/fakes/server.py) -------------------------------------------

    def _handler(self):
        return _make_handler(self)

    @property
    def oauth_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.oauth_path}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.api_path}"

    # -- injection -------------------------------------------------------------------------------------

    def fail(self, name: str, status: int, body: dict | str | None = None, headers: dict[str, str] | None = None,
             times: int | None = 1) -> None:
        """The next `times` requests named `name` (None: all) get `status` and `body` — a dict (JSON), a str (sent
        verbatim, e.g. "" or "not json") or None (the provider's usual error body) — and nothing is acted on."""
        with self._cond:
            self._failures.setdefault(name, []).append(_Failure(status, body, dict(headers or {}), times))

    def clear_failures(self, name: str | None = None) -> None:
        """Drop injected failures for `name` (or all): ends a `times=None` outage."""
        with self._cond:
            if name is None:
                self._failures.clear()
            else:
                self._failures.pop(name, None)

    def delay(self, name: str, seconds: float) -> None:
        """Requests named `name` wait `seconds` before being handled (a slow provider); 0 removes it."""
        with self._cond:
            self._delays[name] = seconds

    def set_refresh_delay(self, seconds: float) -> None:
        """Refresh answers wait `seconds` AFTER rotating (the old refresh token is dead meanwhile): storms show."""
        with self._cond:
            self._refresh_delay = seconds

    def expire_access_tokens(self) -> None:
        """Every access token issued so far now answers 401, as after Zoom's 1-hour lifetime."""
        with self._cond:
            for entry in self._access.values():
                entry["expires"] = 0.0

    # -- inspection ------------------------------------------------------------------------------------

    def calls(self, name: str | None = None) -> list[Call]:
        with self._cond:
            return [c for c in self._calls if name is None or c.method == name]

    def clear(self) -> None:
        with self._cond:
            self._calls.clear()

    def wait_for(self, name: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """All calls named `name` once there are at least `count`; AssertionError after `timeout` seconds."""
        with self._cond:
            if self._cond.wait_for(lambda: len(self.calls(name)) >= count, timeout=timeout):
                return self.calls(name)
            seen = ", ".join(f"{m} x{n}" for m, n in Counter(c.method for c in self._calls).items()) or "nothing"
            raise AssertionError(f"expected {count} call(s) to {name} within {timeout}s; received: {seen}")

    # -- OAuth store -----------------------------------------------------------------------------------

    def _record_authorize(self, query: dict[str, str]) -> None:
        path = f"{self.oauth_path}/authorize?{urlencode(query)}"
        self._record(Call("authorize", path, {}, dict(query), b"", time.monotonic()))

    def _new_code(self, redirect_uri: str, challenge: str | None, method: str | None, scope: str) -> str:
        code = f"{self.token_prefix}-code-{secrets.token_hex(12)}"
        with self._cond:
            self._codes[code] = {"redirect_uri": redirect_uri, "challenge": challenge, "method": method,
                                 "scope": scope, "expires": time.monotonic() + CODE_TTL, "used": False}
        return code

    def _authorize_page(self, url) -> Answer:
        """GET {oauth_url}/authorize: a tiny page linking back with a fresh code (the app never loads it)."""
        query = single(parse_qs(url.query))
        try:
            code = self._authorize(query)
        except AssertionError as error:
            return Answer(400, f"<p>{html.escape(str(error))}</p>", {"Content-Type": "text/html; charset=utf-8"})
        back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return Answer(200, f'<p><a href="{html.escape(back)}">Allow</a></p>', {"Content-Type": "text/html; charset=utf-8"})

    def _authorize(self, query: dict[str, str]) -> str:
        raise NotImplementedError

    def _client_ok(self, headers: dict[str, str], form: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        if auth.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(auth[6:], validate=True).decode().partition(":")
            except ValueError:
                return False
            return client_id == self.client_id and secret == self.client_secret
        return self.form_credentials and (form.get("client_id"), form.get("client_secret")) == (
            self.client_id, self.client_secret)

    def _token(self, url, path: str, headers: dict[str, str], raw: bytes) -> Answer:
        """POST token: form body only; authorization_code (+PKCE) and rotating refresh_token grants."""
        if {"code", "refresh_token"} & set(parse_qs(url.query)):
            with self._cond:
                self.query_leaks.append(path)
            return Answer(400, self._oauth_error("invalid_request", "code/refresh_token must be in the form body"))
        form = single(parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
        if not self._client_ok(headers, form):
            return Answer(401, self._oauth_error("invalid_client", self.invalid_client))
        grant = form.get("grant_type")
        with self._cond:
            if grant == "authorization_code":
                entry = self._codes.get(form.get("code", ""))
                if (entry is None or entry["used"] or entry["expires"] < time.monotonic()
                        or form.get("redirect_uri") != entry["redirect_uri"]
                        or not _pkce_ok(entry["method"], entry["challenge"], form.get("code_verifier"))):
                    self.invalid_grant_count += 1
                    return Answer(400, self._oauth_error("invalid_grant", self.invalid_code))
                entry["used"] = True
                return Answer(200, self._issue(entry["scope"]))
            if grant == "refresh_token":
                entry = self._refresh.pop(form.get("refresh_token", ""), None)
                if entry is None:
                    self.invalid_grant_count += 1
                    return Answer(400, self._oauth_error("invalid_grant", self.invalid_refresh), None, self._refresh_delay)
                self.refresh_count += 1
                return Answer(200, self._issue(entry["scope"]), None, self._refresh_delay)
        return Answer(400, self._oauth_error("unsupported_grant_type", f"Unsupported grant type: {grant}"))

    def issued_tokens(self) -> list[str]:
        """Every access and refresh token this fake ever issued (tests scan for leaks)."""
        with self._cond:
            return sorted(set(self._access) | {entry["refresh"] for entry in self._access.values()})

    def _issue(self, scope: str) -> dict:
        access = f"{self.token_prefix}-at-{secrets.token_hex(16)}"
        refresh = f"{self.token_prefix}-rt-{secrets.token_hex(16)}"
        self._access[access] = {"expires": time.monotonic() + self.expires_in, "revoked": False, "refresh": refresh}
        self._refresh[refresh] = {"scope": scope}
        return {"access_token": access, "token_type": "bearer", "refresh_token": refresh,
                "expires_in": self.expires_in, "scope": scope}

    def _revoke(self, token: str) -> None:
        """Revoking either token of a grant ends the grant: access tokens die and the refresh token with them."""
        with self._cond:
            entry = self._access.get(token)
            refresh = entry["refresh"] if entry else token
            self._refresh.pop(refresh, None)
            for other in self._access.values():
                if other["refresh"] == refresh or other is entry:
                    other["revoked"] = True

    def _bearer(self, headers: dict[str, str]) -> str | None:
        """The Bearer token if it is a live access token, else None."""
        auth = headers.get("authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
        with self._cond:
            entry = self._access.get(token)
            return token if entry and not entry["revoked"] and entry["expires"] > time.monotonic() else None

    # -- request plumbing (server threads) -------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def _handle(self, handler: BaseHTTPRequestHandler, verb: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        url = urlsplit(handler.path)
        name = self._name(verb, url.path)
        body = single(parse_qs(url.query, keep_blank_values=True))
        try:
            body.update(parse_body(raw, headers.get("content-type", "")))
        except ValueError:
            body["_raw"] = raw.decode("utf-8", errors="replace")
        self._record(Call(name, handler.path, headers, body, raw, time.monotonic()))
        with self._cond:
            pause = self._delays.get(name, 0)
        if pause > 0:
            self._stopping.wait(pause)
        failure = self._take_failure(name)
        if failure is not None:
            answer = Answer(failure.status, failure.body if failure.body is not None
                            else self._default_error(name, failure.status), failure.headers)
        else:
            answer = self._route(name, verb, url, handler.path, headers, raw)
        if answer.after > 0:
            self._stopping.wait(answer.after)
        _send(handler, answer)
        with self._cond:
            self.answered[name] += 1
            self._cond.notify_all()

    def wait_answered(self, name: str, count: int = 1, timeout: float = 5.0) -> None:
        """Block until `count` answers to requests named `name` have been sent back."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.answered[name] >= count, timeout=timeout):
                raise AssertionError(f"{name} was not answered {count} time(s) within {timeout}s")

    def _take_failure(self, name: str) -> _Failure | None:
        with self._cond:
            return take_failure(self._failures, name)

    def _name(self, verb: str, path: str) -> str:
        raise NotImplementedError

    def _route(self, name: str, verb: str, url, path: str, headers: dict[str, str], raw: bytes) -> Answer:
        raise NotImplementedError

    def _oauth_error(self, error: str, description: str) -> dict:
        raise NotImplementedError

    def _default_error(self, name: str, status: int) -> dict:
        raise NotImplementedError


def _pkce_ok(method: str | None, challenge: str | None, verifier: str | None) -> bool:
    if challenge is None:
        return True
    if not verifier:
        return False
    if method == "plain":
        return hmac.compare_digest(verifier, challenge)
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return hmac.compare_digest(digest, challenge)


def _send(handler: BaseHTTPRequestHandler, answer: Answer) -> None:
    if isinstance(answer.body, str):
        data, content_type = answer.body.encode(), "text/plain; charset=utf-8"
    else:
        data, content_type = json.dumps(answer.body).encode(), "application/json; charset=utf-8"
    extra = {k: v for k, v in (answer.headers or {}).items() if k.lower() != "content-length"}
    content_type = next((v for k, v in extra.items() if k.lower() == "content-type"), content_type)
    handler.send_response(answer.status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    for key, value in extra.items():
        if key.lower() != "content-type":
            handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(data)


def _make_handler(fake: OAuthProviderFake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake._handle(self, "GET")

        def do_POST(self) -> None:
            fake._handle(self, "POST")

        def do_PATCH(self) -> None:
            fake._handle(self, "PATCH")

        def do_DELETE(self) -> None:
            fake._handle(self, "DELETE")

        def log_message(self, format: str, *args) -> None:  # keep test output quiet
            pass

    return Handler


class FakeZoom(OAuthProviderFake):
    """Zoom's user-level OAuth app (PKCE S256, Basic client auth), POST /v2/users/{me|id}/meetings (create) and
    GET of the same path (list: the user's meetings, without host links)."""

    oauth_path, api_path, token_prefix, expires_in = "/oauth", "/v2", "zoom", 3599
    invalid_client = "Invalid client_id or client_secret"
    invalid_refresh = "Invalid Token!"

    def __init__(self, client_id: str = "zoom-client", client_secret: str = "zoom-secret") -> None:
        super().__init__(client_id, client_secret)
        self.meetings: list[tuple[dict, dict]] = []  # (request JSON, response JSON) of every meeting made
        self._ids = itertools.count(0)
        self._hangs: list[float] = []
        self._start_urls: list[str] = []
        self.patches: list[tuple[int, dict]] = []  # (meeting id, PATCH body) of every accepted update
        self.deleted: list[int] = []  # ids of deleted meetings

    def authorize(self, query: dict[str, str]) -> str:
        """What the user's browser visit to {oauth_url}/authorize?… does: the code Zoom would redirect with."""
        query = single(query)
        self._record_authorize(query)
        return self._authorize(query)

    def create_then_hang(self, seconds: float) -> None:
        """The next create MAKES the meeting, then answers only after `seconds` (a response lost in transit)."""
        with self._cond:
            self._hangs.append(seconds)

    def start_urls(self) -> list[str]:
        """Every host-only start_url issued, so tests can scan Slack traffic for leaks."""
        with self._cond:
            return list(self._start_urls)

    def _authorize(self, q: dict[str, str]) -> str:
        require(q.get("response_type") == "code", f"response_type must be 'code', got {q.get('response_type')!r}")
        require(q.get("client_id") == self.client_id, f"unknown client_id {q.get('client_id')!r}")
        require(q.get("redirect_uri"), "redirect_uri is missing")
        require(q.get("state"), "state is missing (needed against CSRF)")
        require(q.get("code_challenge_method") == "S256",
                 f"code_challenge_method must be S256, got {q.get('code_challenge_method')!r}")
        require(re.fullmatch(r"[A-Za-z0-9_-]{43}", q.get("code_challenge") or ""),
                 "code_challenge must be base64url(sha256(code_verifier)) without padding (43 chars)")
        return self._new_code(q["redirect_uri"], q["code_challenge"], "S256", "meeting:write user:read")

    def _name(self, verb: str, path: str) -> str:
        names = {("GET", "/oauth/authorize"): "authorize", ("POST", "/oauth/token"): "token",
                 ("POST", "/oauth/revoke"): "revoke", ("GET", "/v2/users/me"): "me"}
        if verb == "POST" and re.fullmatch(r"/v2/users/[^/]+/meetings", path):
            return "create"
        if verb == "GET" and re.fullmatch(r"/v2/users/[^/]+/meetings", path):
            return "list"
        if re.fullmatch(r"/v2/meetings/\d+", path) and verb in ("GET", "PATCH", "DELETE"):
            return {"GET": "get", "PATCH": "update", "DELETE": "delete"}[verb]
        return names.get((verb, path), path)

    def _route(self, name, verb, url, path, headers, raw) -> Answer:
        if name == "authorize":
            return self._authorize_page(url)
        if name == "token":
            return self._token(url, path, headers, raw)
        if name == "revoke":
            if not self._client_ok(headers, {}):
                return Answer(401, self._oauth_error("invalid_client", self.invalid_client))
            self._revoke(single(parse_qs(raw.decode("utf-8", errors="replace"))).get("token", ""))
            return Answer(200, {"status": "success"})
        if name not in ("me", "create", "list", "get", "update", "delete"):
            return Answer(404, {"code": 404, "message": f"No such API: {verb} {url.path}"})
        if self._bearer(headers) is None:
            return Answer(401, {"code": 124, "message": "Invalid access token."})
        if name == "me":
            return Answer(200, dict(ME))
        if name in ("get", "update", "delete"):
            return self._one_meeting(name, int(url.path.rsplit("/", 1)[1]), raw)
        user = url.path.split("/")[3]
        if user not in ("me", ME["id"], ME["email"]):
            return Answer(404, {"code": 1001, "message": f"User does not exist: {user}."})
        if name == "list":
            with self._cond:
                listed = [{k: m[k] for k in ("uuid", "id", "host_id", "topic", "type", "start_time", "duration",
                                             "timezone", "created_at", "join_url")} for _, m in self.meetings]
            return Answer(200, {"page_size": 300, "total_records": len(listed), "next_page_token": "",
                                "meetings": listed})
        sent, start, refused = _meeting_body(raw)
        if refused is not None:
            return refused
        with self._cond:
            created = self._meeting(sent, start)
            self.meetings.append((sent, created))
            self._start_urls.append(created["start_url"])
            hang = self._hangs.pop(0) if self._hangs else 0.0
            self._cond.notify_all()
        return Answer(201, created, None, hang)

    def send_webhook(self, url: str, secret: str, event: str, obj: dict, event_ts_ms: int | None = None) -> int:
        """Deliver a signed event to `url` as Zoom does (`x-zm-signature` over `v0:{timestamp}:{body}`):
        the HTTP status meetbot answered."""
        body = json.dumps({"event": event, "event_ts": event_ts_ms or int(time.time() * 1000),
                           "payload": {"account_id": ME.get("account_id", "acct"), "object": obj}}).encode()
        stamp = str(int(time.time()))
        headers = {"content-type": "application/json", "x-zm-request-timestamp": stamp,
                   "x-zm-signature": webhook_signature(secret, body, stamp)}
        return httpx.post(url, content=body, headers=headers, timeout=10).status_code

    def meeting(self, meeting_id: object) -> dict | None:
        """The meeting as Zoom holds it now (after PATCHes), or None once deleted."""
        with self._cond:
            found = [m for _, m in self.meetings if str(m["id"]) == str(meeting_id) and m["id"] not in self.deleted]
            return dict(found[0]) if found else None

    def _one_meeting(self, name: str, meeting_id: int, raw: bytes) -> Answer:
        """GET (with a fresh start_url), PATCH (validated like a create; 204) and DELETE (204) of one meeting."""
        with self._cond:
            found = [m for _, m in self.meetings if m["id"] == meeting_id and meeting_id not in self.deleted]
            if not found:
                return Answer(404, {"code": 3001, "message": f"Meeting does not exist: {meeting_id}."})
            meeting = found[0]
            if name == "get":
                meeting["start_url"] = f"https://zoom.example.test/s/{meeting_id}?zak={secrets.token_urlsafe(32)}"
                self._start_urls.append(meeting["start_url"])
                return Answer(200, dict(meeting))
            if name == "delete":
                self.deleted.append(meeting_id)
                self._cond.notify_all()
                return Answer(204, "")
        sent, start, refused = _meeting_body(raw, {k: meeting[k] for k in ("topic", "type")})
        if refused is not None:
            return refused
        with self._cond:
            meeting.update({k: v for k, v in sent.items() if k in ("topic", "agenda", "type", "duration", "timezone",
                                                                    "recurrence")})
            if start is not None:
                meeting["start_time"] = _z(start)
            self.patches.append((meeting_id, sent))
            self._cond.notify_all()
        return Answer(204, "")

    def _meeting(self, sent: dict, start: datetime | None) -> dict:
        meeting_id = 85746065432 + next(self._ids)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        kind = sent.get("type", 2)
        password = sent.get("password") or f"{secrets.randbelow(10 ** 6):06d}"
        encrypted = secrets.token_urlsafe(24)
        meeting = {
            "uuid": base64.b64encode(secrets.token_bytes(16)).decode(), "id": meeting_id, "host_id": ME["id"],
            "host_email": ME["email"], "topic": sent.get("topic", "Zoom Meeting"), "type": kind, "status": "waiting",
            "start_time": _z(start or now), "duration": sent.get("duration", 60),
            "timezone": sent.get("timezone", ME["timezone"]), "agenda": sent.get("agenda", ""), "created_at": _z(now),
            "start_url": f"https://zoom.example.test/s/{meeting_id}?zak={secrets.token_urlsafe(32)}",
            "join_url": f"https://zoom.example.test/j/{meeting_id}?pwd={encrypted}",
            "password": password, "h323_password": password, "pstn_password": password,
            "encrypted_password": encrypted, "pre_schedule": False,
            "settings": {**_SETTINGS, **(sent.get("settings") or {})}}
        if kind == 8:
            meeting.update(recurrence=dict(sent["recurrence"]), occurrences=[])
        return meeting

    def _oauth_error(self, error: str, description: str) -> dict:
        return {"reason": description, "error": error}

    def _default_error(self, name: str, status: int) -> dict:
        if name in ("token", "revoke"):
            error = {400: "invalid_grant", 401: "invalid_client"}.get(status, "server_error")
            reason = {400: self.invalid_refresh, 401: self.invalid_client}.get(status, "Internal Error")
            return self._oauth_error(error, reason)
        return {401: {"code": 124, "message": "Invalid access token."},
                429: {"code": 429, "message": "You have reached the maximum per-second rate limit for this API. "
                                              "Try again later."},
                300: {"code": 300, "message": "Validation Failed"},
                404: {"code": 1001, "message": "User does not exist."},
                }.get(status, {"code": status, "message": _phrase(status)})


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _z(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _zone(name: object) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else None
    except Exception:  # ZoneInfoNotFoundError, ValueError for odd paths...
        return None


def _meeting_body(raw: bytes, base: dict | None = None) -> tuple[dict, datetime | None, Answer | None]:
    """A create or PATCH body checked as Zoom does (a PATCH over the meeting's `base` fields): (body, start,
    None), or Zoom's 300 answer."""
    try:
        sent = json.loads(raw)
    except ValueError:
        sent = None
    if not isinstance(sent, dict):
        return {}, None, Answer(300, {"code": 300, "message": "Request Body should be a valid JSON object."})
    errors, start = _check_meeting({**(base or {}), **sent})
    if errors:
        return sent, start, Answer(300, {"code": 300, "message": "Validation Failed",
                                         "errors": [{"field": f, "message": m} for f, m in errors]})
    return sent, start, None


def _check_meeting(m: dict) -> tuple[list[tuple[str, str]], datetime | None]:
    """Zoom's create-meeting rules as (field, message) errors, plus the start instant in UTC."""
    errors: list[tuple[str, str]] = []
    kind = m.get("type", 2)
    if not is_int(kind) or kind not in (1, 2, 3, 8):
        errors.append(("type", "type must be 1, 2, 3 or 8."))
    topic = m.get("topic", "")
    if not isinstance(topic, str) or len(topic) > 200:
        errors.append(("topic", "topic must be a string of at most 200 characters."))
    tz = m.get("timezone")
    if tz is not None and _zone(tz) is None:
        errors.append(("timezone", f"Invalid timezone: {tz!r}."))
    start = None
    if kind in (2, 8):
        raw = m.get("start_time")
        try:
            naive = datetime.strptime(raw[:19], "%Y-%m-%dT%H:%M:%S") if _START.fullmatch(raw) else None
        except (TypeError, ValueError):
            naive = None
        if naive is None:
            errors.append(("start_time", "start_time is required, as yyyy-MM-ddTHH:mm:ss or yyyy-MM-ddTHH:mm:ssZ."))
        elif raw.endswith("Z"):
            start = naive.replace(tzinfo=timezone.utc)
        elif tz is None:
            errors.append(("timezone", "timezone is required when start_time is local (no trailing Z)."))
        elif _zone(tz):
            start = naive.replace(tzinfo=_zone(tz)).astimezone(timezone.utc)
    if "duration" in m and not (is_int(m["duration"]) and m["duration"] > 0):
        errors.append(("duration", "duration must be a positive integer number of minutes."))
    if not isinstance(m.get("agenda", ""), str) or len(m.get("agenda", "")) > 2000:
        errors.append(("agenda", "agenda must be a string of at most 2000 characters."))
    if "password" in m and not (isinstance(m["password"], str) and re.fullmatch(r"[A-Za-z0-9@_*-]{0,10}", m["password"])):
        errors.append(("password", "password: at most 10 characters of [a-zA-Z0-9@-_*]."))
    if "settings" in m and not isinstance(m["settings"], dict):
        errors.append(("settings", "settings must be an object."))
    rec = m.get("recurrence")
    if kind == 8 and rec is None:
        errors.append(("recurrence", "recurrence is required for a type 8 meeting."))
    elif rec is not None and kind != 8:
        errors.append(("recurrence", "recurrence is only allowed for type 8 meetings."))
    elif rec is not None:
        errors += _check_recurrence(rec)
    return errors, start


def _check_recurrence(rec: object) -> list[tuple[str, str]]:
    if not isinstance(rec, dict):
        return [("recurrence", "recurrence must be an object.")]
    kind = rec.get("type")
    limit = {1: 90, 2: 12, 3: 3}.get(kind) if is_int(kind) else None
    if limit is None:
        return [("recurrence.type", "recurrence.type must be 1 (daily), 2 (weekly) or 3 (monthly).")]
    errors = []
    interval = rec.get("repeat_interval", 1)
    if not (is_int(interval) and 1 <= interval <= limit):
        errors.append(("recurrence.repeat_interval", f"repeat_interval must be an integer from 1 to {limit}."))
    days = rec.get("weekly_days")
    if kind == 2 and not (isinstance(days, str) and re.fullmatch(r"[1-7](,[1-7])*", days)):
        errors.append(("recurrence.weekly_days", 'weekly_days must be a string of digits 1-7, e.g. "2,4".'))
    if kind == 3:
        day, week, weekday = rec.get("monthly_day"), rec.get("monthly_week"), rec.get("monthly_week_day")
        by_week = is_int(week) and week in (-1, 1, 2, 3, 4) and is_int(weekday) and 1 <= weekday <= 7
        if not (is_int(day) and 1 <= day <= 31) and not by_week:
            errors.append(("recurrence.monthly_day", "monthly needs monthly_day 1-31 or monthly_week + monthly_week_day."))
    if "end_times" in rec and "end_date_time" in rec:
        errors.append(("recurrence.end_times", "end_times and end_date_time are mutually exclusive."))
    elif "end_times" in rec and not (is_int(rec["end_times"]) and 1 <= rec["end_times"] <= 60):
        errors.append(("recurrence.end_times", "end_times must be an integer from 1 to 60."))
    elif "end_date_time" in rec and not (isinstance(rec["end_date_time"], str) and _UTC.fullmatch(rec["end_date_time"])):
        errors.append(("recurrence.end_date_time", "end_date_time must be UTC, as yyyy-MM-ddTHH:mm:ssZ."))
    return errors


def _hmac_hex(secret: str, message: str | bytes) -> str:
    data = message.encode() if isinstance(message, str) else message
    return hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()


def webhook_signature(secret: str, body: bytes, timestamp: str) -> str:
    """Zoom's x-zm-signature: "v0=" + hex HMAC-SHA256(secret, "v0:{timestamp}:{raw body}")."""
    return "v0=" + _hmac_hex(secret, b"v0:" + timestamp.encode() + b":" + body)


def url_validation_answer(secret: str, plain_token: str) -> dict:
    """The answer Zoom expects to an endpoint.url_validation event."""
    return {"plainToken": plain_token, "encryptedToken": _hmac_hex(secret, plain_token)}
