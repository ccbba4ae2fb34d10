"""A fake Dialpad (OAuth at /oauth2, REST API at /api/v2) on 127.0.0.1, over real HTTP.

Why: Dialpad differs from Zoom in every way that bites — epoch SECONDS (not ms, not ISO), duration in SECONDS,
int64 ids that arrive as JSON strings but must be sent back as integers, scopes `conference:all` and
`offline_access`, client credentials in the form body, a company API key as an alternative to OAuth, 429s
without Retry-After, and a create answer whose `meeting_url` the app cannot take for granted. The server,
recording, fault injection and OAuth store are shared with FakeZoom (tests/fakes/zoom.py).
"""

from __future__ import annotations

import itertools
import json
import secrets
from urllib.parse import parse_qs

from tests.fakes.zoom import Answer, OAuthProviderFake, require, is_int, single

BOB = {"id": "5835806903417907", "emails": ["bob@example.com"], "first_name": "Bob", "display_name": "Bob B",
       "timezone": "America/New_York", "state": "active", "company_id": "77"}
MEETING_TYPES = ("LARGE_MEETING", "PERSONAL", "UNIQUE_MEETING", "CUSTOM_UNIQUE_MEETING")
_REASONS = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "notFound", 429: "rateLimitExceeded"}


def api_error(status: int, message: str, reason: str | None = None) -> dict:
    """Dialpad's (Google-API-style) error envelope."""
    reason = reason or _REASONS.get(status, "backendError")
    return {"error": {"code": status, "message": message, "errors": [{"reason": reason, "message": message}]}}


class FakeDialpad(OAuthProviderFake):
    """Dialpad OAuth (code + rotating refresh, PKCE optional), users lookup and POST /api/v2/meetings."""

    oauth_path, api_path, token_prefix, expires_in = "/oauth2", "/api/v2", "dialpad", 3600
    form_credentials = True
    invalid_code = "Invalid or expired authorization code"

    def __init__(self, client_id: str = "dialpad-client", client_secret: str = "dialpad-secret",
                 api_key: str = "dialpad-company-key") -> None:
        super().__init__(client_id, client_secret)
        self.api_key = api_key
        self.meetings: list[tuple[dict, dict]] = []  # (request JSON, response JSON) of every meeting made
        self._users: dict[str, dict] = {"bob@example.com": dict(BOB)}
        self._omit_url = 0
        self._ids = itertools.count(1)
        self._filter_by_email = True

    def add_user(self, email: str, id: str = "5835806903417907", state: str = "active") -> dict:
        """A Dialpad user that GET /users?email= finds (any state: the app must filter on `state` itself)."""
        local = email.split("@")[0]
        user = {"id": str(id), "emails": [email], "first_name": local.capitalize(), "display_name": local.capitalize(),
                "timezone": "America/New_York", "state": state, "company_id": "77"}
        with self._cond:
            self._users[email.lower()] = user
        return dict(user)

    def ignore_email_filter(self) -> None:
        """GET /users answers as if `email=` were unknown to it: every user, matching or not (the app must check)."""
        with self._cond:
            self._filter_by_email = False

    def omit_meeting_url(self, times: int = 1) -> None:
        """The next `times` successful creates answer without `meeting_url` (the link is not guaranteed)."""
        with self._cond:
            self._omit_url += times

    def authorize(self, query: dict[str, str]) -> str:
        """What the user's browser visit to {oauth_url}/authorize?… does: the code Dialpad would redirect with."""
        query = single(query)
        self._record_authorize(query)
        return self._authorize(query)

    def _authorize(self, q: dict[str, str]) -> str:
        require(q.get("response_type") == "code", f"response_type must be 'code', got {q.get('response_type')!r}")
        require(q.get("client_id") == self.client_id, f"unknown client_id {q.get('client_id')!r}")
        require(q.get("redirect_uri"), "redirect_uri is missing")
        require("#" not in q["redirect_uri"], "redirect_uri must not contain a # fragment")
        require(q.get("state"), "state is missing (needed against CSRF)")
        scopes = set((q.get("scope") or "").split())
        require({"conference:all", "offline_access"} <= scopes,
                 f"scope must include conference:all (create meetings) and offline_access (refresh), got {scopes}")
        challenge, method = q.get("code_challenge"), q.get("code_challenge_method")
        if challenge or method:
            method = method or "plain"
            require(method in ("S256", "plain"), f"code_challenge_method must be S256 or plain, got {method!r}")
            require(challenge, "code_challenge_method given without code_challenge")
        return self._new_code(q["redirect_uri"], challenge or None, method, " ".join(sorted(scopes)))

    def _name(self, verb: str, path: str) -> str:
        return {("GET", "/oauth2/authorize"): "authorize", ("POST", "/oauth2/token"): "token",
                ("POST", "/oauth2/deauthorize"): "deauthorize", ("GET", "/api/v2/users/me"): "me",
                ("GET", "/api/v2/users"): "users", ("POST", "/api/v2/meetings"): "create"}.get((verb, path), path)

    def _route(self, name, verb, url, path, headers, raw) -> Answer:
        if name == "authorize":
            return self._authorize_page(url)
        if name == "token":
            return self._token(url, path, headers, raw)
        if name == "deauthorize":
            auth = headers.get("authorization", "")
            form = single(parse_qs(raw.decode("utf-8", errors="replace")))
            self._revoke(auth[len("Bearer "):] if auth.startswith("Bearer ") else form.get("token", ""))
            return Answer(200, {})
        if name not in ("me", "users", "create"):
            return Answer(404, api_error(404, f"No such API: {verb} {url.path}"))
        auth = headers.get("authorization", "")
        company = bool(self.api_key) and auth == f"Bearer {self.api_key}"
        if not company and self._bearer(headers) is None:
            return Answer(401, api_error(401, "Invalid or expired access token"))
        if name == "me":
            if company:
                return Answer(400, api_error(400, "'me' needs a user OAuth token, not a company API key"))
            return Answer(200, dict(BOB))
        if name == "users":
            return self._lookup(single(parse_qs(url.query)))
        return self._create(raw)

    def _lookup(self, query: dict[str, str]) -> Answer:
        state = query.get("state")
        with self._cond:
            email = query.get("email") if self._filter_by_email else None
            users = [dict(u) for e, u in self._users.items()
                     if (not email or e == email.lower()) and state in (None, "all", u["state"])]
        return Answer(200, {"items": users, "cursor": None} if users else {"items": []})

    def _create(self, raw: bytes) -> Answer:
        try:
            sent = json.loads(raw)
        except ValueError:
            sent = None
        if not isinstance(sent, dict):
            return Answer(400, api_error(400, "Request body must be a JSON object"))
        errors = _check_meeting(sent)
        if errors:
            return Answer(400, {"error": {"code": 400, "message": errors[0],
                                          "errors": [{"reason": "invalid", "message": e} for e in errors]}})
        with self._cond:
            if str(sent["user_id"]) not in {u["id"] for u in self._users.values()}:
                return Answer(404, api_error(404, f"User {sent['user_id']} not found"))
            start, end = sent["start_datetime"], sent["end_datetime"]
            created = {"id": str(6300000000000000 + next(self._ids)), "title": sent["title"],
                       "meeting_url": f"https://meetings.dialpad.example/room/{secrets.token_urlsafe(9)}",
                       "dial_in_number": "+1 415 555 0100", "participant_pin": "123456", "organizer_pin": "654321",
                       "start_datetime": start, "end_datetime": end, "duration": end - start,
                       "meeting_type": sent["meeting_type"], "recurrence": sent.get("recurrence")}
            if self._omit_url > 0:
                self._omit_url -= 1
                del created["meeting_url"]
            self.meetings.append((sent, created))
            self._cond.notify_all()
        return Answer(200, created)

    def _oauth_error(self, error: str, description: str) -> dict:
        return {"error": error, "error_description": description}

    def _default_error(self, name: str, status: int) -> dict:
        if name in ("token", "deauthorize"):
            error = {400: "invalid_grant", 401: "invalid_client"}.get(status, "server_error")
            return self._oauth_error(error, f"{error} (injected {status})")
        return api_error(status, {429: "Rate limit exceeded", 401: "Invalid or expired access token"}.get(
            status, f"Injected error {status}"))


def _check_meeting(m: dict) -> list[str]:
    """The create-meeting rules of the Dialpad reference, as error messages."""
    errors = []
    if not isinstance(m.get("title"), str) or not m["title"].strip():
        errors.append("title is required and must be a non-empty string")
    times_ok = True
    for key in ("start_datetime", "end_datetime"):
        value = m.get(key)
        if not is_int(value):
            errors.append(f"{key} is required and must be an integer (UTC seconds since the epoch)")
            times_ok = False
        elif not 0 < value <= 10 ** 11:
            errors.append(f"{key} must be UTC seconds since the epoch (milliseconds are out of range)")
            times_ok = False
    if times_ok and m["end_datetime"] <= m["start_datetime"]:
        errors.append("end_datetime must be after start_datetime")
    if "duration" in m:
        if not is_int(m["duration"]):
            errors.append("duration must be an integer number of seconds")
        elif times_ok and m["duration"] != m["end_datetime"] - m["start_datetime"]:
            errors.append("duration (seconds) must equal end_datetime - start_datetime")
    if m.get("meeting_type") not in MEETING_TYPES:
        errors.append(f"meeting_type must be one of {', '.join(MEETING_TYPES)}")
    if not is_int(m.get("user_id")):
        errors.append("user_id is required and must be an integer")
    if m.get("recurrence") is not None and not isinstance(m["recurrence"], str):
        errors.append("recurrence must be a string")
    if "call_out" in m and not isinstance(m["call_out"], bool):
        errors.append("call_out must be a boolean")
    people = m.get("participants_info")
    if people is not None and not (isinstance(people, list) and all(
            isinstance(p, dict) and isinstance(p.get("email"), str) and p["email"] for p in people)):
        errors.append("participants_info must be a list of objects with an email")
    return errors
