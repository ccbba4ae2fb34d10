"""The notifier's one fallback chain, with an in-process fake Web API client and response_url poster."""

from __future__ import annotations

import time
from types import SimpleNamespace
from datetime import datetime, timezone
from urllib.error import URLError

import httpx
import pytest
from slack_sdk.errors import SlackApiError

from bot.domain.meeting import CreatedMeeting, MeetingRecord, MeetingRequest
from bot.domain.ports import Outcome, OutcomeKind
from bot.domain.status import MeetingStatus
from bot.errors import ProviderRejected
from bot.providers import ProviderRegistry
from bot.providers.jitsi import JitsiProvider
from bot.slack.notifier import Note, Route, SlackNotifier
from tests.blockkit import assert_valid_block_kit


class FakeClient:
    """Records Web API calls; `failures[method]` is a list of exceptions raised by the next calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.failures: dict[str, list[Exception]] = {}
        self.history: dict[str, list[dict]] = {}

    def _call(self, method: str, **kwargs) -> dict:
        self.calls.append((method, kwargs))
        queue = self.failures.get(method) or []
        if queue:
            raise queue.pop(0)
        return {"ok": True}

    def chat_postMessage(self, **kwargs) -> dict:
        self._call("chat.postMessage", **kwargs)
        self.history.setdefault(kwargs["channel"], []).insert(0, {"text": kwargs["text"], "metadata": kwargs.get("metadata")})
        return {"ok": True}

    def chat_postEphemeral(self, **kwargs) -> dict:
        return self._call("chat.postEphemeral", **kwargs)

    def conversations_history(self, **kwargs) -> dict:
        self._call("conversations.history", **kwargs)
        return {"ok": True, "messages": list(self.history.get(kwargs["channel"], []))}

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]


class FakeResponseUrls:
    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.posts: list[tuple[str, dict]] = []

    def post(self, url: str, json: dict) -> httpx.Response:
        self.posts.append((url, json))
        return httpx.Response(self.status)


def api_error(code: str) -> SlackApiError:
    return SlackApiError(code, {"ok": False, "error": code})


@pytest.fixture
def client():
    return FakeClient()


@pytest.fixture
def urls():
    return FakeResponseUrls()


@pytest.fixture
def notifier(client, urls):
    return SlackNotifier(lambda team_id: client, urls, ProviderRegistry([JitsiProvider("https://meet.test")]))  # type: ignore[arg-type]


def record(requested_at: float | None = None) -> MeetingRecord:
    request = MeetingRequest(title="Design review", start=datetime(2026, 11, 19, 15, tzinfo=timezone.utc),
                             duration_minutes=45, timezone="UTC", key="view:T1:V1", team_id="T1", user_id="U1",
                             provider="jitsi", channel_id="C1", origin_channel_id="C1", response_url="https://hooks/c1",
                             origin_response_url="https://hooks/cmd",
                             requested_at=time.time() if requested_at is None else requested_at)
    return MeetingRecord(request, MeetingStatus.CREATED, CreatedMeeting("jitsi", "room", "https://meet.test/room"))


def test_the_post_goes_to_the_channel_with_the_request_key_in_its_metadata(notifier, client):
    assert notifier.publish(record(), None, resumed=False)
    [(method, sent)] = client.calls
    assert method == "chat.postMessage" and sent["channel"] == "C1"
    assert sent["metadata"] == {"event_type": "meetbot_meeting", "event_payload": {"key": "view:T1:V1"}}
    assert_valid_block_kit([SimpleNamespace(method=method, body=sent)])


def test_a_refused_channel_falls_back_to_the_response_url_then_a_dm(notifier, client, urls):
    client.failures["chat.postMessage"] = [api_error("not_in_channel")]
    assert notifier.publish(record(), None, resumed=False)
    assert urls.posts[0][0] == "https://hooks/c1" and urls.posts[0][1]["response_type"] == "in_channel"
    urls.status = 404
    client.failures["chat.postMessage"] = [api_error("not_in_channel")]
    assert notifier.publish(record(), None, resumed=False)
    method, dm = client.calls[-1]
    assert method == "chat.postMessage" and dm["channel"] == "U1" and "not_in_channel" in dm["blocks"][0]["text"]["text"]


def test_expired_response_urls_are_skipped(notifier, client, urls):
    client.failures["chat.postMessage"] = [api_error("not_in_channel")]
    assert notifier.publish(record(requested_at=time.time() - 31 * 60), None, resumed=False)
    assert not urls.posts and client.calls[-1][1]["channel"] == "U1"


def test_a_timed_out_post_that_landed_is_not_posted_again(notifier, client):
    client.chat_postMessage(channel="C1", text="earlier", metadata={"event_type": "meetbot_meeting",
                                                                     "event_payload": {"key": "view:T1:V1"}})
    client.calls.clear()
    client.failures["chat.postMessage"] = [TimeoutError("timed out")]
    assert notifier.send(Note("U1", "C1", "t", [], public=True, key="view:T1:V1")) is Route.CHANNEL
    assert client.methods() == ["chat.postMessage", "conversations.history"]


def test_a_timed_out_post_that_did_not_land_falls_back(notifier, client, urls):
    client.failures["chat.postMessage"] = [TimeoutError("timed out")]
    assert notifier.send(Note("U1", "C1", "t", [], public=True, key="k", response_url="https://hooks/c1")) is Route.RESPONSE_URL
    assert client.methods() == ["chat.postMessage", "conversations.history"]


def test_when_slack_cannot_say_whether_it_posted_the_organiser_gets_the_link_by_dm(notifier, client):
    client.failures["chat.postMessage"] = [TimeoutError("timed out")]
    client.failures["conversations.history"] = [api_error("missing_scope")]
    assert notifier.send(Note("U1", "C1", "t", [], public=True, key="k", response_url="https://hooks/c1")) is Route.DM
    method, dm = client.calls[-1]
    assert method == "chat.postMessage" and dm["channel"] == "U1" and "may be there already" in dm["blocks"][0]["text"]["text"]


def test_a_resumed_post_already_in_the_channel_is_not_repeated(notifier, client):
    client.chat_postMessage(channel="C1", text="before the crash",
                            metadata={"event_type": "meetbot_meeting", "event_payload": {"key": "view:T1:V1"}})
    client.calls.clear()
    assert notifier.publish(record(), None, resumed=True)
    assert "chat.postMessage" not in client.methods()


def test_a_refused_connection_is_not_mistaken_for_a_post(notifier, client, urls):
    client.failures["chat.postMessage"] = [URLError(ConnectionRefusedError())]
    assert notifier.send(Note("U1", "C1", "t", [], public=True, key="k", response_url="https://hooks/c1")) is Route.RESPONSE_URL
    assert "conversations.history" not in client.methods()


def test_a_host_link_never_leaves_an_ephemeral_note(notifier, client, urls):
    client.failures["chat.postEphemeral"] = [api_error("channel_not_found")]
    assert notifier.send(Note("U1", "C1", "host", [], host_only=True, response_url="https://hooks/cmd")) is Route.DM
    assert not urls.posts and client.methods() == ["chat.postEphemeral", "chat.postEphemeral"]


def test_every_outcome_is_worded_with_retry_where_it_helps(notifier, client):
    for kind in OutcomeKind:
        error = ProviderRejected("jitsi", "nope") if kind is OutcomeKind.FAILED else None
        notifier.report(record().request, Outcome(kind, error))
        method, sent = client.calls[-1]
        assert method == "chat.postEphemeral" and sent["user"] == "U1" and sent["text"]
        retry = "meet_retry" in str(sent["blocks"])
        no_retry = (OutcomeKind.IN_PROGRESS, OutcomeKind.ALREADY_POSTED, OutcomeKind.NOT_LINKED, OutcomeKind.NOT_SAVED,
                    OutcomeKind.CHANGE_FAILED, OutcomeKind.LEFT_AT_PROVIDER, OutcomeKind.REMADE)  # a change: nothing to replay
        assert retry is (kind not in no_retry), kind
