"""Provider mapping and protocol pieces that need no server: units, recurrence, Retry-After, state, webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import messages
from bot.linking import BadState, StateSigner, pkce_challenge
from bot.domain.meeting import MeetingRequest
from bot.providers.dialpad import meeting_body as dialpad_body
from bot.providers.http import parse_retry_after
from bot.errors import UnsupportedRecurrence
from bot.providers.zoom import meeting_body as zoom_body, zoom_recurrence
from bot.providers.zoom_webhook import handle as zoom_webhook

LA = ZoneInfo("America/Los_Angeles")
START = datetime(2026, 11, 25, 15, 0, tzinfo=LA)


def request(**kw) -> MeetingRequest:
    base = dict(title="Design review", start=START, duration_minutes=45, timezone="America/Los_Angeles")
    base.update(kw)
    return MeetingRequest(**base)


def test_zoom_body_uses_local_wall_time_and_iana_zone():
    body = zoom_body(request())
    assert body == {"topic": "Design review", "agenda": "", "type": 2, "start_time": "2026-11-25T15:00:00",
                    "timezone": "America/Los_Angeles", "duration": 45}


def test_zoom_body_fixed_offset_zone_goes_as_utc():
    start = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc).astimezone(ZoneInfo("Etc/GMT-2"))
    body = zoom_body(request(start=start, timezone="UTC+05:30"))
    assert body["timezone"] == "UTC" and body["start_time"] == "2026-11-25T15:00:00"


def test_zoom_instant_meeting_is_type_1_without_start():
    body = zoom_body(request(instant=True))
    assert body["type"] == 1 and "start_time" not in body


@pytest.mark.parametrize(
    "rrule, expected",
    [
        ("FREQ=DAILY", {"type": 1, "repeat_interval": 1}),
        ("FREQ=WEEKLY;BYDAY=MO", {"type": 2, "repeat_interval": 1, "weekly_days": "2"}),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", {"type": 2, "repeat_interval": 2, "weekly_days": "3,5"}),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", {"type": 2, "repeat_interval": 1, "weekly_days": "2,3,4,5,6"}),
        ("FREQ=WEEKLY;BYDAY=SA,SU", {"type": 2, "repeat_interval": 1, "weekly_days": "1,7"}),
        ("FREQ=WEEKLY", {"type": 2, "repeat_interval": 1, "weekly_days": "4"}),  # the start's weekday (Wed)
        ("FREQ=MONTHLY;BYMONTHDAY=15", {"type": 3, "repeat_interval": 1, "monthly_day": 15}),
        ("FREQ=MONTHLY;BYDAY=-1FR", {"type": 3, "repeat_interval": 1, "monthly_week": -1, "monthly_week_day": 6}),
        ("FREQ=WEEKLY;BYDAY=FR;COUNT=4", {"type": 2, "repeat_interval": 1, "weekly_days": "6", "end_times": 4}),
        ("FREQ=DAILY;UNTIL=20261221", {"type": 1, "repeat_interval": 1, "end_date_time": "2026-12-22T07:59:00Z"}),
    ],
)
def test_zoom_recurrence(rrule, expected):
    assert zoom_recurrence(rrule, START, "America/Los_Angeles") == expected


@pytest.mark.parametrize("rrule", ["FREQ=YEARLY", "FREQ=WEEKLY;INTERVAL=13;BYDAY=MO", "FREQ=DAILY;COUNT=61", "FREQ=MONTHLY;INTERVAL=4"])
def test_zoom_refuses_what_it_cannot_express(rrule):
    with pytest.raises(UnsupportedRecurrence) as caught:
        zoom_body(request(rrule=rrule))
    assert "Zoom can't repeat" in messages.provider_problem("Zoom", caught.value)


def test_recurring_zoom_meeting_is_type_8():
    body = zoom_body(request(rrule="FREQ=WEEKLY;BYDAY=MO"))
    assert body["type"] == 8 and body["recurrence"]["weekly_days"] == "2"


def test_dialpad_body_units_are_epoch_seconds_and_seconds():
    body = dialpad_body(request(rrule="FREQ=WEEKLY;COUNT=4", invitee_emails=("a@x.test",)), "5835806903417907")
    epoch = int(START.timestamp())
    assert body == {"title": "Design review", "start_datetime": epoch, "end_datetime": epoch + 2700, "duration": 2700,
                    "meeting_type": "UNIQUE_MEETING", "user_id": 5835806903417907, "recurrence": "FREQ=WEEKLY;COUNT=4",
                    "participants_info": [{"email": "a@x.test"}]}


NOW = datetime(2026, 5, 30, 23, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "value, seconds",
    [("30", 30.0), ("0", 0.0), ("Sat, 30 May 2026 23:02:00 GMT", 120.0), ("2026-05-31T00:00:00Z", 3600.0), ("soon", None), (None, None), ("2020-01-01T00:00:00Z", 0.0)],
)
def test_parse_retry_after(value, seconds):
    assert parse_retry_after(value, NOW) == seconds


def test_state_signer_round_trip_tamper_expiry():
    clock = [1000.0]
    signer = StateSigner(b"k" * 32, clock=lambda: clock[0])
    token = signer.sign({"t": "T1", "u": "U1", "p": "zoom", "n": "abc", "e": 1600})
    assert signer.verify(token)["u"] == "U1"
    body, mac = token.split(".")
    forged = json.dumps({"t": "T1", "u": "U2", "p": "zoom", "n": "abc", "e": 1600}, separators=(",", ":"), sort_keys=True)
    import base64

    forged_body = base64.urlsafe_b64encode(forged.encode()).decode().rstrip("=")
    for bad in (f"{forged_body}.{mac}", token[:-2] + "xx", "nonsense", ""):
        with pytest.raises(BadState):
            signer.verify(bad)
    with pytest.raises(BadState):
        StateSigner(b"other" * 8, clock=lambda: 1000.0).verify(token)
    clock[0] = 1601
    with pytest.raises(BadState):
        signer.verify(token)


def test_pkce_verifier_is_secret_and_s256():
    signer = StateSigner(b"k" * 32)
    verifier = signer.pkce_verifier("nonce")
    assert len(verifier) >= 43 and verifier != StateSigner(b"j" * 32).pkce_verifier("nonce")
    assert pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"  # RFC 7636


class FakeStore:
    def __init__(self):
        self.deleted = []

    def find_accounts_by_provider_user(self, provider, provider_user_id):
        from types import SimpleNamespace

        return [SimpleNamespace(team_id="T1", user_id="U1")] if provider_user_id == "zoomuser1" else []

    def delete_account(self, team_id, user_id, provider):
        self.deleted.append((team_id, user_id, provider))
        return True


def signed(secret: str, body: bytes, ts: int) -> dict[str, str]:
    sig = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body.decode()}".encode(), hashlib.sha256).hexdigest()
    return {"x-zm-signature": sig, "x-zm-request-timestamp": str(ts)}


def test_zoom_webhook_validation_deauthorization_and_rejections():
    store, now = FakeStore(), 1_800_000_000
    body = json.dumps({"event": "endpoint.url_validation", "payload": {"plainToken": "abc"}}).encode()
    status, answer = zoom_webhook("whsec", store, body, signed("whsec", body, now), now)
    assert status == "200 OK" and answer["encryptedToken"] == hmac.new(b"whsec", b"abc", hashlib.sha256).hexdigest()
    deauth = json.dumps({"event": "app_deauthorized", "payload": {"user_id": "zoomuser1"}}).encode()
    assert zoom_webhook("whsec", store, deauth, signed("wrong", deauth, now), now)[0] == "401 Unauthorized"
    assert zoom_webhook("whsec", store, deauth, signed("whsec", deauth, now - 301), now)[0] == "401 Unauthorized"
    assert store.deleted == []
    assert zoom_webhook("whsec", store, deauth, signed("whsec", deauth, now), now)[0] == "200 OK"
    assert store.deleted == [("T1", "U1", "zoom")]
