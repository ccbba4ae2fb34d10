"""Zoom: user-level OAuth (PKCE), rotating refresh tokens, `POST /users/me/meetings`.

Zoom quirks kept here: `duration` is minutes; `start_time` goes as *local wall time* with an IANA `timezone`
(never a UTC time with a local zone, which silently shifts the meeting); `id` is int64 (kept as text);
`start_url` signs the holder in as host (returned as `host_url`, never shown in a channel); errors may
come back as HTTP 300; the token endpoint wants HTTP Basic client credentials and a form body.
"""

from __future__ import annotations

import base64
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx

from bot.domain.meeting import CreatedMeeting, MeetingRequest
from bot.providers.base import LinkedAccountLike
from bot.errors import NoJoinLink, ProviderRejected, UnsupportedRecurrence
from bot.providers.http import json_body
from bot.providers.oauth import CodeGrantClient, Identity, TokenManager
from bot.settings import Settings
from bot.timeparse.rrule import parse_rrule
from bot.timeparse.vocab import RRULE_DAYS

ZOOM_WEEKDAY = {day: (index + 1) % 7 + 1 for index, day in enumerate(RRULE_DAYS)}  # 1=Sunday … 7=Saturday
MAX_INTERVAL = {1: 90, 2: 12, 3: 3}
MAX_END_TIMES = 60
FIND_WINDOW = timedelta(minutes=10)  # an instant meeting's start is when Zoom made it, not when it was asked for


def zoom_recurrence(rrule: str, start: datetime, tz: str) -> dict[str, Any]:
    """RFC 5545 RRULE → Zoom's `recurrence` object (type 1 daily, 2 weekly, 3 monthly)."""
    rule = parse_rrule(rrule)
    freq = rule.get("FREQ")
    kind = {"DAILY": 1, "WEEKLY": 2, "MONTHLY": 3}.get(freq or "")
    if kind is None:
        raise UnsupportedRecurrence("zoom", "freq", str(freq).lower())
    interval = int(rule.get("INTERVAL", "1"))
    if interval > MAX_INTERVAL[kind]:
        raise UnsupportedRecurrence("zoom", "interval", f"{MAX_INTERVAL[kind]} {('days', 'weeks', 'months')[kind - 1]}")
    out: dict[str, Any] = {"type": kind, "repeat_interval": interval}
    days = [d for d in rule.get("BYDAY", "").split(",") if d]
    local_start = start.astimezone(ZoneInfo(tz))
    if kind == 1 and days:  # "every weekday" is daily-on-weekdays: Zoom says weekly on those days
        kind, out["type"] = 2, 2
    if kind == 2:
        names = days or [RRULE_DAYS[local_start.weekday()]]
        if any(len(d) != 2 for d in names):
            raise UnsupportedRecurrence("zoom", "weekly_days")
        out["weekly_days"] = ",".join(str(ZOOM_WEEKDAY[d]) for d in sorted(names, key=lambda d: ZOOM_WEEKDAY[d]))
    if kind == 3:
        if "BYMONTHDAY" in rule:
            out["monthly_day"] = int(rule["BYMONTHDAY"])
        elif days:
            if len(days) != 1 or len(days[0]) < 3:
                raise UnsupportedRecurrence("zoom", "monthly_weekdays")
            position, day = int(days[0][:-2]), days[0][-2:]
            if position not in (-1, 1, 2, 3, 4):
                raise UnsupportedRecurrence("zoom", "monthly_position")
            out["monthly_week"], out["monthly_week_day"] = position, ZOOM_WEEKDAY[day]
        else:
            out["monthly_day"] = local_start.day
    if "COUNT" in rule:
        count = int(rule["COUNT"])
        if count > MAX_END_TIMES:
            raise UnsupportedRecurrence("zoom", "count", str(MAX_END_TIMES))
        out["end_times"] = count
    elif "UNTIL" in rule:
        last_day = datetime.combine(until_local_date(rule["UNTIL"], tz), time(23, 59), tzinfo=ZoneInfo(tz))
        out["end_date_time"] = last_day.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return out


def until_local_date(until: str, tz: str) -> date:
    """The last day of a repeat in the meeting's zone. The parser writes UNTIL as a UTC date-time (the end of
    that day in the meeting's zone, e.g. 20261231T225959Z for Paris), so its first 8 digits may be the day
    before or after; a bare date (20261231) is taken as written."""
    if "T" not in until:
        return date(int(until[:4]), int(until[4:6]), int(until[6:8]))
    moment = datetime.strptime(until.rstrip("Z")[:15], "%Y%m%dT%H%M%S")
    if until.endswith("Z"):
        return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(tz)).date()
    return moment.date()


def meeting_body(request: MeetingRequest) -> dict[str, Any]:
    """The JSON for `POST /users/me/meetings`."""
    body: dict[str, Any] = {"topic": request.title[:200], "agenda": request.agenda[:2000]}
    if request.instant:
        body["type"] = 1
        body["duration"] = request.duration_minutes
        return body
    try:
        zone_name = request.timezone
        local = request.start.astimezone(ZoneInfo(zone_name))
    except (ValueError, KeyError):  # a fixed offset like UTC+05:30 is no Zoom zone: send UTC wall time
        zone_name, local = "UTC", request.start.astimezone(timezone.utc)
    body.update(
        type=8 if request.rrule else 2,
        start_time=local.strftime("%Y-%m-%dT%H:%M:%S"),
        timezone=zone_name,
        duration=request.duration_minutes,
    )
    if request.rrule:
        body["recurrence"] = zoom_recurrence(request.rrule, request.start, zone_name)
    return body


class ZoomProvider(CodeGrantClient):
    name = "zoom"
    label = "Zoom"
    needs_account = True

    def __init__(self, settings: Settings, http: httpx.Client, tokens: TokenManager) -> None:
        super().__init__(settings.zoom_api_url, settings.zoom_oauth_url, settings.zoom_client_id,
                         settings.zoom_client_secret, http, tokens)

    def configured(self) -> bool:
        return bool(self.client_id and self._client_secret)

    def _client_auth(self, form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """Zoom wants HTTP Basic client credentials and only the grant in the form body."""
        raw = f"{self.client_id}:{self._client_secret}".encode()
        return form, {"Authorization": "Basic " + base64.b64encode(raw).decode()}

    def authorize_url(self, redirect_uri: str, state: str, code_challenge: str) -> str:
        query = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri, "state": state,
                 "code_challenge": code_challenge, "code_challenge_method": "S256"}
        return f"{self.oauth_url}/authorize?{urlencode(query)}"

    def identity(self, access_token: str) -> Identity:
        response = self.http.send("GET", f"{self.api_url}/users/me", idempotent=True, headers={"Authorization": f"Bearer {access_token}"})
        data = json_body(response, self.label)
        name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")])) or None
        return Identity(id=str(data.get("id", "")), email=data.get("email"), name=name)

    def revoke(self, account: Any) -> None:
        if account.access_token:
            form, headers = self._client_auth({"token": account.access_token})
            self.http.send("POST", f"{self.oauth_url}/revoke", idempotent=True, data=form, headers=headers)

    def check(self, request: MeetingRequest) -> None:
        """Raise `UnsupportedRecurrence` now for a repeat Zoom can't express (shown under the When field)."""
        meeting_body(request)

    def create_meeting(self, request: MeetingRequest, account: LinkedAccountLike | None) -> CreatedMeeting:
        body = meeting_body(request)  # an RRULE Zoom can't express fails here, before any call

        def create(access_token: str) -> httpx.Response:
            return self.http.send("POST", f"{self.api_url}/users/me/meetings", idempotent=False, json=body,
                                  headers={"Authorization": f"Bearer {access_token}"})

        data = json_body(self.tokens.call(account, self, create), self.label, created=True)
        join_url = data.get("join_url")
        if not join_url or data.get("id") is None:
            raise NoJoinLink(self.name)
        return CreatedMeeting(
            provider=self.name,
            meeting_id=str(data["id"]),  # int64: never through a float or a 32-bit int
            join_url=str(join_url),
            passcode=data.get("password") or None,
            host_url=data.get("start_url"),
        )

    def find_meeting(self, request: MeetingRequest, account: LinkedAccountLike | None) -> CreatedMeeting | None:
        """Among the user's upcoming meetings, the one with this topic and start (an instant meeting: this
        topic, started within FIND_WINDOW of the request): what a create whose answer was lost made."""

        def upcoming(access_token: str) -> httpx.Response:
            return self.http.send("GET", f"{self.api_url}/users/me/meetings", idempotent=True,
                                  params={"type": "upcoming", "page_size": "300"},
                                  headers={"Authorization": f"Bearer {access_token}"})

        data = json_body(self.tokens.call(account, self, upcoming), self.label)
        topic, wanted = request.title[:200], request.start.astimezone(timezone.utc)
        for item in data.get("meetings") or []:
            if not isinstance(item, dict) or item.get("topic") != topic or not item.get("join_url"):
                continue
            try:
                start = datetime.fromisoformat(str(item.get("start_time")).replace("Z", "+00:00"))
            except ValueError:
                continue
            if start == wanted or (request.instant and abs(start - wanted) <= FIND_WINDOW):
                return CreatedMeeting(provider=self.name, meeting_id=str(item["id"]), join_url=str(item["join_url"]))
        return None

    def _meeting_call(self, verb: str, meeting_id: str, account: Any | None, **kwargs: Any) -> httpx.Response:
        """A call on one meeting (`/meetings/{id}`): PATCH, DELETE and GET are safe to repeat."""

        def call(access_token: str) -> httpx.Response:
            return self.http.send(verb, f"{self.api_url}/meetings/{meeting_id}", idempotent=True,
                                  headers={"Authorization": f"Bearer {access_token}"}, **kwargs)

        return self.tokens.call(account, self, call)

    def update_meeting(self, meeting_id: str, request: MeetingRequest, account: Any | None) -> None:
        """`PATCH /meetings/{id}` with the same fields a create sends (topic, start_time + timezone, duration,
        recurrence): 204 on success."""
        self._meeting_call("PATCH", meeting_id, account, json=meeting_body(request))

    def delete_meeting(self, meeting_id: str, account: Any | None) -> None:
        """`DELETE /meetings/{id}`; a meeting already gone (Zoom's 404 "does not exist") is done too."""
        try:
            self._meeting_call("DELETE", meeting_id, account)
        except ProviderRejected as exc:
            if "does not exist" not in str(exc).lower():
                raise

    def host_url(self, meeting_id: str, account: Any | None) -> str | None:
        """A fresh `start_url` (they expire after two hours) from `GET /meetings/{id}`: host-only."""
        data = json_body(self._meeting_call("GET", meeting_id, account), self.label)
        url = data.get("start_url")
        return str(url) if url else None
