"""Block Kit builders and formatting: pure functions, validated with slack_sdk's block models."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.slack import blocks
from bot.formatting import date_token, duration_words, escape, google_calendar_url
from bot.providers.jitsi import JitsiProvider, room_slug
from bot.domain.meeting import MeetingRequest

START = datetime(2026, 11, 25, 15, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
END = datetime(2026, 11, 25, 15, 45, tzinfo=ZoneInfo("America/Los_Angeles"))
HOSTILE = ["<!channel>", "<!here>", "<@U123>", "<https://evil.example|click>", "a & b", "🎉 مرحبا"]


def validate_view(view: dict) -> None:
    View(**view).validate_json()


def validate_message(message_blocks: list[dict]) -> None:
    assert len(message_blocks) <= 50
    for block in Block.parse_all(message_blocks):
        block.validate_json()


def ctx() -> blocks.ModalContext:
    return blocks.ModalContext("C1", "U1", "T1", "https://hooks.slack.com/commands/x", "Europe/London")


@pytest.mark.parametrize("text, escaped", [("<!channel>", "&lt;!channel&gt;"), ("a & b", "a &amp; b"), ("<https://e|x>", "&lt;https://e|x&gt;")])
def test_escape(text, escaped):
    assert escape(text) == escaped


def test_modal_has_the_contract_ids_and_validates():
    view = blocks.schedule_modal(ctx(), [("jitsi", "Jitsi"), ("zoom", "Zoom")], "zoom", "Design review", "tomorrow 3pm", "preview")
    validate_view(view)
    assert view["callback_id"] == "meet_schedule"
    ids = [b.get("block_id") for b in view["blocks"]]
    for block_id in ("title", "when", "provider", "channel", "invitees"):
        assert block_id in ids
    when = next(b for b in view["blocks"] if b.get("block_id") == "when")
    assert when["dispatch_action"] is True
    provider = next(b for b in view["blocks"] if b.get("block_id") == "provider")["element"]
    assert provider["initial_option"]["value"] == "zoom"
    channel = next(b for b in view["blocks"] if b.get("block_id") == "channel")["element"]
    assert channel["response_url_enabled"] is True and channel["initial_conversation"] == "C1"
    assert blocks.ModalContext.load(view["private_metadata"]) == ctx()


def test_modal_prefill_is_cut_to_input_limits():
    view = blocks.schedule_modal(ctx(), [("jitsi", "Jitsi")], "jitsi", "t" * 900, "w" * 5000, "x" * 5000)
    validate_view(view)


@pytest.mark.parametrize("title", HOSTILE + ["x" * 500])
def test_message_escapes_user_text_and_validates(title):
    post = blocks.MeetingPost(title, START, END, 45, "FREQ=WEEKLY;BYDAY=MO", "Jitsi", "https://meet.jit.si/room", "U1", ("U2",))
    text, message_blocks = blocks.meeting_message(post)
    validate_message(message_blocks)
    body = message_blocks[0]["text"]["text"]
    for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil"):
        assert raw not in body and raw not in text
    assert "<@U1>" in body and "<@U2>" in body
    assert f"<!date^{int(START.timestamp())}^{{date_short_pretty}} at {{time}}|" in body
    assert "weekly on Monday" in body and "45 min" in body
    join = message_blocks[-1]["elements"][0]
    assert join["url"] == "https://meet.jit.si/room" and join["text"]["text"] == "Join"


def test_passcode_shown_only_when_not_in_the_url():
    base = dict(title="t", start=START, end=END, duration_minutes=45, rrule=None, provider_label="Zoom", organiser_id="U1")
    _, with_pwd = blocks.meeting_message(blocks.MeetingPost(join_url="https://zoom.us/j/1?pwd=abc", passcode="123", **base))
    _, without = blocks.meeting_message(blocks.MeetingPost(join_url="https://zoom.us/j/1", passcode="123", **base))
    assert "Passcode" not in str(with_pwd) and "Passcode: `123`" in str(without)


def test_date_token_and_calendar_link():
    assert date_token(START).startswith(f"<!date^{int(START.timestamp())}^{{date_short_pretty}} at {{time}}|Wed 25 Nov 2026 15:00 PST")
    url = google_calendar_url("A & B", START, END, "Join: x", "FREQ=DAILY")
    assert "dates=20261125T230000Z%2F20261125T234500Z" in url and "recur=RRULE%3AFREQ%3DDAILY" in url and "A+%26+B" in url


@pytest.mark.parametrize("minutes, words", [(30, "30 min"), (60, "1 h"), (75, "1 h 15 min")])
def test_duration_words(minutes, words):
    assert duration_words(minutes) == words


def test_help_and_retry_blocks_validate():
    validate_message(blocks.help_blocks())
    validate_message(blocks.retry_blocks("failed", "view:T1:V1"))


def test_jitsi_room_is_readable_and_unguessable():
    provider = JitsiProvider("https://meet.example.test/")
    request = MeetingRequest("Design review: Q4!", START, 45, "America/Los_Angeles")
    first, second = provider.create_meeting(request), provider.create_meeting(request)
    assert first.join_url.startswith("https://meet.example.test/design-review-q4-")
    assert first.join_url != second.join_url
    assert len(first.meeting_id.rsplit("-", 1)[1]) >= 26  # 128 bits in base32
    assert room_slug("🎉🎉") == "meeting" and first.host_url is None
