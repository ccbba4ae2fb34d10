"""Jitsi: no account, no API call. A meeting exists once someone opens `JITSI_BASE_URL/<room>`.

Anyone with the room name can join, so the name carries 128 random bits after a readable slug of the title.
"""

from __future__ import annotations

import base64
import re
import secrets
import unicodedata

from bot.domain.meeting import CreatedMeeting, MeetingRequest
from bot.providers.base import LinkedAccountLike

RANDOM_BYTES = 16  # 128 bits: the spec asks for at least 80


def room_slug(title: str, limit: int = 40) -> str:
    """`Design review: Q4!` → `design-review-q4` (ASCII, URL-safe, never empty)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:limit].strip("-")
    return slug or "meeting"


class JitsiProvider:
    name = "jitsi"
    label = "Jitsi"
    needs_account = False

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def create_meeting(self, request: MeetingRequest, account: LinkedAccountLike | None = None) -> CreatedMeeting:
        token = base64.b32encode(secrets.token_bytes(RANDOM_BYTES)).decode().rstrip("=").lower()
        room = f"{room_slug(request.title)}-{token}"
        return CreatedMeeting(provider=self.name, meeting_id=room, join_url=f"{self.base_url}/{room}")

    def find_meeting(self, request: MeetingRequest, account: LinkedAccountLike | None = None) -> CreatedMeeting | None:
        """A Jitsi room exists only once someone opens it, so nothing was made remotely: make it now."""
        return self.create_meeting(request, account)
