"""Create a meeting exactly once and make sure its link reaches someone.

The order is the point: the request is saved under its idempotency key *before* the provider is called, the
created meeting is saved *before* anything is posted, and posting falls back from the channel to the
response_url to a DM, so a link is never lost and a repeated submission never creates a second meeting.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import messages
from bot.slack import blocks
from bot.errors import ProviderAuthError, ProviderError, ProviderOutcomeUnknown, ProviderRateLimited
from bot.providers import MeetingRequest, ProviderRegistry

log = logging.getLogger("meetbot.service")
STALE_CREATED_SECONDS = 60  # a 'created' row this old was abandoned mid-post (crash); a duplicate may post it


@dataclass(frozen=True)
class ScheduleRequest:
    """One meeting to create and announce, as saved with its idempotency key (so Retry can replay it)."""

    key: str
    team_id: str
    user_id: str
    channel_id: str  # where the link goes
    origin_channel_id: str  # where /meet was typed (for ephemeral replies)
    provider: str
    title: str
    start: str  # ISO-8601 with offset
    duration_minutes: int
    timezone: str
    rrule: str | None = None
    instant: bool = False
    invitee_ids: tuple[str, ...] = ()
    response_url: str = ""  # posts into channel_id when the bot cannot
    origin_response_url: str = ""  # the command's own response_url, for replies to the organiser
    invitee_emails: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["invitee_ids"] = list(self.invitee_ids)
        data["invitee_emails"] = list(self.invitee_emails)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ScheduleRequest":
        data = dict(data)
        data["invitee_ids"] = tuple(data.get("invitee_ids") or ())
        data["invitee_emails"] = tuple(data.get("invitee_emails") or ())
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    @property
    def start_at(self) -> datetime:
        return datetime.fromisoformat(self.start)


class DeliveryFailed(Exception):
    """Neither the channel, the response_url nor a DM took the message."""


class MeetingService:
    """Create → save → post, with every failure turned into a message to the right person."""

    def __init__(self, store: Any, providers: ProviderRegistry, slack: WebClient, http: httpx.Client) -> None:
        self.store = store
        self.providers = providers
        self.slack = slack
        self.http = http

    # -- entry points -----------------------------------------------------------------------------

    def schedule(self, req: ScheduleRequest) -> None:
        record, is_new = self.store.claim_meeting(
            req.key,
            team_id=req.team_id,
            user_id=req.user_id,
            channel_id=req.channel_id,
            provider=req.provider,
            title=req.title,
            start=req.start,
            duration_minutes=req.duration_minutes,
            timezone=req.timezone,
            rrule=req.rrule,
            request=req.to_dict(),
        )
        if not is_new:
            self._duplicate(req, record)
            return
        self._create_and_post(req)

    def retry(self, key: str, user_id: str) -> None:
        """The Retry button: replay a saved request once, however often it is clicked."""
        record = self.store.get_meeting(key)
        if record is None or record.user_id != user_id:
            return
        if not self.store.reset_for_retry(key):
            req = ScheduleRequest.from_dict(record.request)
            self._duplicate(req, self.store.get_meeting(key))
            return
        self._create_and_post(ScheduleRequest.from_dict(record.request))

    # -- the steps --------------------------------------------------------------------------------

    def _duplicate(self, req: ScheduleRequest, record: Any) -> None:
        stale = time.time() - (record.updated_at or 0) > STALE_CREATED_SECONDS
        if record.status == "created" and stale:  # created, but its worker died before posting: post it now
            self._post(req, record.provider_meeting_id, record.join_url, record.extra, host_url=None)
            self.store.mark_posted(req.key)
        elif record.status in ("pending", "created"):
            log.info("duplicate submission %s ignored: the first one is still being handled", req.key)
        elif record.status == "posted":
            log.info("duplicate submission %s ignored: already posted", req.key)
        elif record.status in ("failed", "unknown"):
            log.info("duplicate submission %s of a failed request: waiting for Retry", req.key)

    def _create_and_post(self, req: ScheduleRequest) -> None:
        provider = self.providers.get(req.provider)
        label = self.providers.label(req.provider)
        try:
            if provider is None:
                raise ProviderAuthError(req.provider, messages.provider_not_linked(label, req.provider))
            account = None
            if provider.needs_account:
                account = self.store.get_account(req.team_id, req.user_id, req.provider)
                if account is None or account.status != "active":
                    raise ProviderAuthError(req.provider, messages.provider_not_linked(label, req.provider))
            meeting = provider.create_meeting(self._meeting_request(req), account)
        except ProviderOutcomeUnknown:
            self.store.mark_failed(req.key, "outcome unknown", status="unknown")
            self._tell_organiser(req, blocks.retry_blocks(messages.creation_unknown(label), req.key))
            return
        except ProviderAuthError as exc:
            self.store.mark_failed(req.key, str(exc))
            self._tell_organiser(req, blocks.reconnect_blocks(str(exc), req.provider, label) if provider is not None and provider.needs_account
                                 else blocks.notice(str(exc)))
            return
        except ProviderRateLimited as exc:
            self.store.mark_failed(req.key, str(exc))
            self._tell_organiser(req, blocks.retry_blocks(messages.rate_limited(label, exc.retry_after), req.key))
            return
        except ProviderError as exc:
            self.store.mark_failed(req.key, str(exc))
            self._tell_organiser(req, blocks.retry_blocks(messages.creation_failed(label, str(exc)), req.key))
            return
        except Exception:  # noqa: BLE001 - a bug must still leave the user a way forward
            log.exception("creating %s meeting %s failed", req.provider, req.key)
            self.store.mark_failed(req.key, "internal error")
            self._tell_organiser(req, blocks.retry_blocks(messages.unexpected_error(), req.key))
            return
        self.store.mark_created(req.key, meeting.meeting_id, meeting.join_url, meeting.public_extra())
        self._post(req, meeting.meeting_id, meeting.join_url, meeting.public_extra(), host_url=meeting.host_url)
        self.store.mark_posted(req.key)

    def _meeting_request(self, req: ScheduleRequest) -> MeetingRequest:
        return MeetingRequest(
            title=req.title,
            start=req.start_at,
            duration_minutes=req.duration_minutes,
            timezone=req.timezone,
            rrule=req.rrule,
            instant=req.instant,
            invitee_emails=req.invitee_emails,
            idempotency_key=req.key,
        )

    def _post(self, req: ScheduleRequest, meeting_id: str, join_url: str, extra: dict, host_url: str | None) -> None:
        start = req.start_at
        post = blocks.MeetingPost(
            title=req.title,
            start=start,
            end=start + _minutes(req.duration_minutes),
            duration_minutes=req.duration_minutes,
            rrule=req.rrule,
            provider_label=self.providers.label(req.provider),
            join_url=join_url,
            organiser_id=req.user_id,
            invitee_ids=req.invitee_ids,
            passcode=extra.get("passcode"),
            dial_in=extra.get("dial_in"),
            pin=extra.get("pin"),
            instant=req.instant,
        )
        text, message_blocks = blocks.meeting_message(post)
        self.deliver(req.channel_id, req.user_id, req.response_url, text, message_blocks)
        if host_url or extra.get("passcode"):
            details = messages.host_details(bool(host_url), extra.get("passcode"))
            self._ephemeral(req.channel_id, req.user_id, details, blocks.host_blocks(details, host_url))

    # -- Slack delivery ---------------------------------------------------------------------------

    def deliver(self, channel_id: str, user_id: str, response_url: str, text: str, message_blocks: list) -> str:
        """Post to the channel; else through the response_url; else DM the organiser saying why."""
        reason = "no channel"
        if channel_id:
            try:
                self.slack.chat_postMessage(channel=channel_id, text=text, blocks=message_blocks, unfurl_links=False, unfurl_media=False)
                return "channel"
            except SlackApiError as exc:
                reason = str(exc.response.get("error", "error"))
            except SlackClientError as exc:
                reason = type(exc).__name__
            log.info("chat.postMessage to %s failed (%s); trying the response_url", channel_id, reason)
        if response_url and self._respond(response_url, {"response_type": "in_channel", "text": text, "blocks": message_blocks}):
            return "response_url"
        dm_blocks = blocks.notice(messages.posted_by_dm(channel_id, reason)) + message_blocks
        try:
            self.slack.chat_postMessage(channel=user_id, text=text, blocks=dm_blocks, unfurl_links=False)
            return "dm"
        except (SlackApiError, SlackClientError) as exc:
            log.error("could not deliver meeting link to %s by channel, response_url or DM: %s", user_id, type(exc).__name__)
            raise DeliveryFailed(reason) from exc

    def _respond(self, response_url: str, payload: dict) -> bool:
        try:
            answer = self.http.post(response_url, json=payload)
        except httpx.HTTPError as exc:
            log.info("response_url post failed: %s", type(exc).__name__)
            return False
        return answer.status_code == 200

    def _ephemeral(self, channel_id: str, user_id: str, text: str, message_blocks: list | None = None) -> bool:
        """Only `user_id` sees it: in the channel if we can, else in the app's DM with them."""
        message_blocks = message_blocks or blocks.notice(text)
        for channel in (channel_id, user_id):
            if not channel:
                continue
            try:
                self.slack.chat_postEphemeral(channel=channel, user=user_id, text=text, blocks=message_blocks)
                return True
            except (SlackApiError, SlackClientError) as exc:
                log.info("chat.postEphemeral in %s failed: %s", channel, type(exc).__name__)
        return False

    def _tell_organiser(self, req: ScheduleRequest, message_blocks: list) -> None:
        text = message_blocks[0]["text"]["text"]
        if self._ephemeral(req.origin_channel_id or req.channel_id, req.user_id, text, message_blocks):
            return
        if req.origin_response_url and self._respond(req.origin_response_url, {"response_type": "ephemeral", "text": text, "blocks": message_blocks}):
            return
        try:
            self.slack.chat_postMessage(channel=req.user_id, text=text, blocks=message_blocks)
        except (SlackApiError, SlackClientError):
            log.error("could not tell %s about a failed meeting %s", req.user_id, req.key)

    def tell(self, channel_id: str, user_id: str, response_url: str, text: str, message_blocks: list | None = None) -> None:
        """An ephemeral note to a user (help, errors after the ack); a DM if nothing else reaches them."""
        message_blocks = message_blocks or blocks.notice(text)
        if response_url and self._respond(response_url, {"response_type": "ephemeral", "text": text, "blocks": message_blocks}):
            return
        if not self._ephemeral(channel_id, user_id, text, message_blocks):
            try:
                self.slack.chat_postMessage(channel=user_id, text=text, blocks=message_blocks)
            except (SlackApiError, SlackClientError):
                log.error("could not reach %s with a reply", user_id)


def _minutes(n: int):
    from datetime import timedelta

    return timedelta(minutes=n)
