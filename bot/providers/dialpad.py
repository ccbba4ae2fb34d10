"""Dialpad: OAuth (scopes `conference:all offline_access`) or company mode with an API key.

Dialpad quirks kept here: times are UTC *epoch seconds* and `duration` is *seconds*; user ids are int64
that arrive as JSON strings; the create-meeting response is undocumented, so it is read defensively
(`meeting_url`, `dial_in_number`, `participant_pin`) and a missing link is a clear error, not a crash.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx

from bot.domain.meeting import CreatedMeeting, MeetingRequest
from bot.providers.base import LinkedAccountLike
from bot.errors import NoJoinLink, ProviderNotLinked
from bot.providers.http import json_body
from bot.providers.oauth import CodeGrantClient, Identity, TokenManager
from bot.settings import Settings

SCOPES = "conference:all offline_access"


def meeting_body(request: MeetingRequest, user_id: str) -> dict[str, Any]:
    """The JSON for `POST /api/v2/meetings`: epoch seconds, duration in seconds, the RRULE as given."""
    start = int(request.start.timestamp())
    seconds = request.duration_minutes * 60
    body: dict[str, Any] = {
        "title": request.title[:200],
        "start_datetime": start,
        "end_datetime": start + seconds,
        "duration": seconds,
        "meeting_type": "UNIQUE_MEETING",
        "user_id": int(user_id),
    }
    if request.rrule:
        body["recurrence"] = request.rrule
    if request.invitee_emails:
        body["participants_info"] = [{"email": email} for email in request.invitee_emails]
    return body


class DialpadProvider(CodeGrantClient):
    name = "dialpad"
    label = "Dialpad"
    needs_account = True

    def __init__(self, settings: Settings, http: httpx.Client, tokens: TokenManager) -> None:
        super().__init__(settings.dialpad_api_url, settings.dialpad_oauth_url, settings.dialpad_client_id,
                         settings.dialpad_client_secret, http, tokens)
        key = settings.dialpad_api_key
        self._api_key = key.get_secret_value() if key else ""

    @property
    def company_mode(self) -> bool:
        """With DIALPAD_API_KEY set, users are linked by email and meetings made with the company key."""
        return bool(self._api_key)

    def configured(self) -> bool:
        return self.company_mode or bool(self.client_id and self._client_secret)

    def authorize_url(self, redirect_uri: str, state: str, code_challenge: str) -> str:
        query = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri, "state": state,
                 "scope": SCOPES, "code_challenge": code_challenge, "code_challenge_method": "S256"}
        return f"{self.oauth_url}/authorize?{urlencode(query)}"

    def _get(self, path: str, token: str, **params: str) -> dict[str, Any]:
        response = self.http.send("GET", f"{self.api_url}{path}", idempotent=True, params=params or None,
                                  headers={"Authorization": f"Bearer {token}"})
        return json_body(response, self.label)

    def identity(self, access_token: str) -> Identity:
        data = self._get("/users/me", access_token)
        emails = data.get("emails") or []
        return Identity(id=str(data.get("id", "")), email=emails[0] if emails else None, name=data.get("display_name"))

    def find_user_by_email(self, email: str) -> Identity | None:
        """Company mode: the active Dialpad user that really carries this email (case-insensitively), or None.
        The lookup's answer is not trusted to have filtered: a user without the email is never taken."""
        data = self._get("/users", self._api_key, email=email)
        wanted = email.strip().casefold()
        for item in data.get("items") or []:
            if not isinstance(item, dict) or item.get("state", "active") != "active" or not item.get("id"):
                continue
            emails = [e for e in item.get("emails") or [] if isinstance(e, str)]
            match = next((e for e in emails if e.strip().casefold() == wanted), None)
            if match is not None:
                return Identity(id=str(item["id"]), email=match, name=item.get("display_name"))
        return None

    def revoke(self, account: Any) -> None:
        if account.access_token and not self.company_mode:
            self.http.send("POST", f"{self.oauth_url}/deauthorize", idempotent=True,
                           headers={"Authorization": f"Bearer {account.access_token}"})

    def create_meeting(self, request: MeetingRequest, account: LinkedAccountLike | None) -> CreatedMeeting:
        if account is None or not account.provider_user_id:
            raise ProviderNotLinked(self.name)
        body = meeting_body(request, account.provider_user_id)

        def create(token: str) -> httpx.Response:
            return self.http.send("POST", f"{self.api_url}/meetings", idempotent=False, json=body,
                                  headers={"Authorization": f"Bearer {token}"})

        if self.company_mode and not account.access_token:
            response = create(self._api_key)
        else:
            response = self.tokens.call(account, self, create)
        data = json_body(response, self.label, created=True)
        join_url = data.get("meeting_url") or data.get("meetingUrl") or data.get("join_url")
        if not isinstance(join_url, str) or not join_url.startswith("http"):
            raise NoJoinLink(self.name)
        return CreatedMeeting(
            provider=self.name,
            meeting_id=str(data.get("id") or data.get("instance_id") or ""),
            join_url=join_url,
            dial_in=data.get("dial_in_number") or None,
            pin=data.get("participant_pin") or None,
        )

    def find_meeting(self, request: MeetingRequest, account: LinkedAccountLike | None) -> CreatedMeeting | None:
        """Our reference documents no way to list a user's Dialpad meetings, so a lost answer stays unknown."""
        return None
