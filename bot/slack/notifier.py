"""Everything meetbot says in Slack leaves through one fallback chain: channel → response_url → DM.

A public message (the meeting post) goes to the channel with `chat.postMessage`; a private one (notes,
errors, the host's details) with `chat.postEphemeral`. If Slack refuses, the stored response_url is used
while Slack still honours it (30 minutes); failing that, the organiser gets a DM saying why. A meeting post
carries the request key in its message `metadata`: when Slack's answer is lost (a timeout) or a crashed post
is resumed, the channel's history is checked for it before posting again, and when that cannot be checked,
the organiser is sent the link by DM saying it may already be posted — never a blind second post.

`SlackNotifier` is the scheduler's `Publisher`; the listeners use `tell` for their replies.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx
from slack_sdk import WebClient

from bot import messages
from bot.domain.meeting import MeetingRecord, MeetingRequest, PostLocation, ScheduledReminder
from bot.domain.ports import Outcome, OutcomeKind, PostStore
from bot.domain.reminders import reminder_times
from bot.domain.status import LIVE, MeetingStatus
from bot.errors import ProviderRateLimited
from bot.formatting import escape
from bot.providers import ProviderRegistry
from bot.slack import blocks
from bot.slack.api import SLACK_ERRORS, may_have_happened, reason

log = logging.getLogger("meetbot.notifier")
METADATA_EVENT = "meetbot_meeting"
HISTORY_LOOKBACK = 100  # messages scanned for a post whose answer was lost


class Route(StrEnum):
    CHANNEL = "channel"
    RESPONSE_URL = "response_url"
    DM = "dm"
    NOWHERE = "nowhere"


@dataclass(frozen=True)
class Note:
    """One outgoing message. `public`: everyone in the channel sees it (the meeting post), with `key` in its
    metadata; otherwise only `user_id` does. `host_only`: it carries a host credential, so it is never
    stored anywhere but an ephemeral note to that user."""

    user_id: str
    channel_id: str
    text: str
    blocks: list[dict[str, Any]]
    response_url: str = ""
    public: bool = False
    key: str = ""
    host_only: bool = False
    dm_preface: str = field(default="")  # said first when the message ends up in a DM
    thread_ts: str = ""  # a public post made as a reply in this thread (also shown in the channel)
    team_id: str = field(default="", kw_only=True)  # whose workspace: its token sends the note


class SlackNotifier:
    def __init__(self, client_for: Callable[[str], WebClient], http: httpx.Client, providers: ProviderRegistry,
                 clock: Callable[[], float] = time.time, posts: PostStore | None = None,
                 now: Callable[[], datetime] | None = None, ics_link: Callable[[str], str] | None = None,
                 defer: Callable[[Callable[[], object]], object] | None = None) -> None:
        self.client_for = client_for  # a workspace's Web API client (one fixed client in single-workspace mode)
        self.http = http
        self.providers = providers
        self.clock = clock
        self.posts = posts  # where each meeting post is, and its reminders (edit, cancel, reminders need it)
        self.now = now or (lambda: datetime.fromtimestamp(self.clock(), timezone.utc))
        self.ics_link = ics_link  # a meeting key → its signed .ics address (needs MEETBOT_PUBLIC_URL)
        # Runs work off the provider's lane (reminders must not delay the next meeting's post).
        self.defer: Callable[[Callable[[], object]], object] = defer or (lambda work: work())

    # -- the one chain ----------------------------------------------------------------------------

    def send(self, note: Note, resumed: bool = False) -> Route:
        why = "no channel"
        if note.channel_id:
            if note.public and resumed and self._find_post(note.team_id, note.channel_id, note.key):
                return Route.CHANNEL  # posted before the crash
            try:
                self._to_channel(note)
                return Route.CHANNEL
            except SLACK_ERRORS as exc:
                why = reason(exc)
                log.info("posting in %s failed (%s); falling back", note.channel_id, why)
                if note.public and may_have_happened(exc):
                    found = self._find_post(note.team_id, note.channel_id, note.key)
                    if found:
                        return Route.CHANNEL
                    if found is None:  # can't tell: don't risk a second post, tell the organiser
                        return self._dm(note, messages.maybe_posted(note.channel_id))
        if note.response_url and not note.host_only and self._respond(note):
            return Route.RESPONSE_URL
        return self._dm(note, messages.posted_by_dm(note.channel_id, why) if note.public else note.dm_preface)

    def _to_channel(self, note: Note) -> None:
        if note.public:
            posted = self._post_public(note.team_id, note.channel_id, note.text, note.blocks, note.thread_ts,
                                       {"key": note.key})
            self._remember_post(note.key, str(posted.get("channel") or note.channel_id), posted.get("ts"))
        else:
            self.client_for(note.team_id).chat_postEphemeral(channel=note.channel_id, user=note.user_id, text=note.text, blocks=note.blocks)

    def _post_public(self, team_id: str, channel_id: str, text: str, post_blocks: list[dict[str, Any]], thread_ts: str,
                     payload: dict[str, str]) -> Any:
        """A meeting post, with `payload` (the request key, maybe the meeting id) in its metadata to find it by."""
        thread: dict[str, Any] = {"thread_ts": thread_ts, "reply_broadcast": True} if thread_ts else {}
        return self.client_for(team_id).chat_postMessage(
            channel=channel_id, text=text, blocks=post_blocks, unfurl_links=False, unfurl_media=False, **thread,
            metadata={"event_type": METADATA_EVENT, "event_payload": payload})

    def _respond(self, note: Note) -> bool:
        payload = {"response_type": "in_channel" if note.public else "ephemeral", "text": note.text, "blocks": note.blocks}
        try:
            answer = self.http.post(note.response_url, json=payload)
        except httpx.HTTPError as exc:
            log.info("response_url post failed: %s", type(exc).__name__)
            return False
        return answer.status_code == 200

    def _dm(self, note: Note, preface: str) -> Route:
        dm_blocks = (blocks.notice(preface) if preface else []) + note.blocks
        try:
            client = self.client_for(note.team_id)
            if note.host_only:  # a host credential never lands in a stored message
                client.chat_postEphemeral(channel=note.user_id, user=note.user_id, text=note.text, blocks=dm_blocks)
            else:
                client.chat_postMessage(channel=note.user_id, text=note.text, blocks=dm_blocks, unfurl_links=False)
            return Route.DM
        except SLACK_ERRORS as exc:
            log.error("could not reach %s by channel, response_url or DM: %s", note.user_id, reason(exc))
            return Route.NOWHERE

    def _find_post(self, team_id: str, channel_id: str, key: str) -> bool | None:
        """Whether the channel holds our post for `key` (looked up by its metadata); None if we can't tell."""
        found = self._posted(team_id, channel_id, lambda ts, payload: payload.get("key") == key)
        if found:
            self._remember_post(key, channel_id, found.get("ts"))
        return None if found is None else bool(found)

    def _posted(self, team_id: str, channel_id: str,
                matches: Callable[[str, dict[str, Any]], bool]) -> dict[str, Any] | None:
        """The newest of our posts in the channel whose (ts, metadata payload) `matches`; {} if there is none,
        None if we can't tell."""
        try:
            history = self.client_for(team_id).conversations_history(channel=channel_id, limit=HISTORY_LOOKBACK,
                                                                     include_all_metadata=True)
        except SLACK_ERRORS as exc:
            log.info("conversations.history in %s failed: %s", channel_id, reason(exc))
            return None
        for message in history.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_EVENT and matches(str(message.get("ts") or ""),
                                                                         metadata.get("event_payload") or {}):
                return dict(message)
        return {}

    def _remember_post(self, key: str, channel_id: str, ts: object) -> None:
        if self.posts is not None and key and ts:
            self.posts.save_post(key, channel_id, str(ts), self.clock())

    # -- what the scheduler and the listeners send ------------------------------------------------

    def _response_url(self, request: MeetingRequest, url: str) -> str:
        return url if request.response_urls_live(self.clock()) else ""

    def publish(self, record: MeetingRecord, host_url: str | None, resumed: bool) -> bool:
        request, meeting = record.request, record.meeting
        if meeting is None:
            raise ValueError(f"{record.key} has no meeting to publish")
        label = self.providers.label(request.provider)
        text, message_blocks = self._post_message(record)
        route = self.send(Note(request.user_id, request.channel_id, text, message_blocks, public=True, key=request.key,
                               response_url=self._response_url(request, request.response_url),
                               thread_ts=request.thread_ts, team_id=request.team_id), resumed=resumed)
        if route is Route.NOWHERE:
            return False
        provider = self.providers.get(request.provider)
        if host_url or meeting.passcode or (resumed and provider is not None and provider.needs_account):
            details = messages.host_details(bool(host_url), meeting.passcode, label if resumed else None)
            # "Start as host" fetches a fresh start link on click: no host credential rests in this note.
            note_blocks = blocks.host_link_blocks(details, request.key) if host_url else blocks.notice(details)
            self.send(Note(request.user_id, request.origin_channel_id or request.channel_id, details, note_blocks,
                           response_url=self._response_url(request, request.origin_response_url), team_id=request.team_id))
        try:  # a crash (or a shutdown) before it runs: the hourly top-up schedules them
            self.defer(lambda: self.sync_reminders(record))
        except RuntimeError:  # the job pool is shutting down
            log.info("reminders of %s left to the top-up (shutting down)", record.key)
        return True

    def _post_message(self, record: MeetingRecord) -> tuple[str, list[dict[str, Any]]]:
        request, meeting = record.request, record.meeting
        post = blocks.MeetingPost(
            title=request.title, start=request.start, end=request.end, duration_minutes=request.duration_minutes,
            rrule=request.rrule, provider_label=self.providers.label(request.provider),
            join_url=meeting.join_url if meeting else "", organiser_id=request.user_id,
            invitee_ids=request.invitee_ids, passcode=meeting.passcode if meeting else None,
            dial_in=meeting.dial_in if meeting else None, pin=meeting.pin if meeting else None,
            instant=request.instant, key=request.key if self.posts is not None else "",
            cancelled=record.status is MeetingStatus.CANCELLED, edited=record.status is MeetingStatus.EDITED,
            ics_url=self.ics_link(request.key) if self.ics_link and request.key else "",
            live=self.posts.live_state(request.key) if self.posts is not None and request.key else None,
        )
        return blocks.meeting_message(post)

    def refresh(self, record: MeetingRecord) -> None:
        """After an edit or cancel: the same channel message changed in place (`chat.update`), reminders redone."""
        self.update_post(record)
        self.sync_reminders(record, redo=True)

    def replace(self, record: MeetingRecord, resumed: bool) -> None:
        """After a provider made the meeting again (Dialpad can't move one): the new meeting as a new post in
        the old one's channel and thread, the old post turned into "Replaced by …" (no Join button), and the
        reminders moved to the new post, whose location is saved only once the old one is marked. The new
        post's metadata names the edit and the post it replaces, so a takeover finds it instead of posting twice."""
        where = self.posts.get_post(record.key) if self.posts is not None else None
        if where is None or record.meeting is None:
            self.refresh(record)
            return
        edit = {"key": record.key, "edit": _edit_stamp(record.request)}
        team_id = record.request.team_id
        new_ts = self._replacement_ts(team_id, where, edit) if resumed else ""
        if new_ts:  # posted before the crash: make sure it links the meeting the record holds now
            self._update(record, where.channel_id, new_ts)
        elif new_ts == "":
            text, message_blocks = self._post_message(record)
            try:
                posted = self._post_public(team_id, where.channel_id, text, message_blocks, record.request.thread_ts,
                                           {**edit, "replaces": where.ts})
                new_ts = str(posted.get("ts") or "") or None
            except SLACK_ERRORS as exc:
                log.info("posting the replacement of %s failed: %s", record.key, reason(exc))
                new_ts = self._replacement_ts(team_id, where, edit) if may_have_happened(exc) else None
        if not new_ts:  # no new post (or we can't tell): the old post shows the new meeting instead
            self.refresh(record)
            return
        if new_ts != where.ts:  # else it was marked, and its location moved, before a crash
            text, old_blocks = blocks.replaced_message(record.request.title, record.request.start,
                                                       self._permalink(team_id, where.channel_id, new_ts))
            try:
                self.client_for(team_id).chat_update(channel=where.channel_id, ts=where.ts, text=text, blocks=old_blocks)
            except SLACK_ERRORS as exc:
                log.info("marking the old post of %s replaced failed: %s", record.key, reason(exc))
            self._remember_post(record.key, where.channel_id, new_ts)
        self.sync_reminders(record, redo=True)

    def _replacement_ts(self, team_id: str, where: PostLocation, edit: dict[str, str]) -> str | None:
        """The post this edit already made in place of `where` (or `where` itself, if it is that post)."""
        found = self._posted(team_id, where.channel_id, lambda ts, payload: where.ts in (ts, payload.get("replaces"))
                             and all(payload.get(name) == value for name, value in edit.items()))
        return None if found is None else str(found.get("ts") or "")

    def _permalink(self, team_id: str, channel_id: str, ts: str) -> str:
        try:
            return str(self.client_for(team_id).chat_getPermalink(channel=channel_id, message_ts=ts).get("permalink") or "")
        except SLACK_ERRORS as exc:
            log.info("chat.getPermalink in %s failed: %s", channel_id, reason(exc))
            return ""

    def update_post(self, record: MeetingRecord) -> None:
        """The meeting's channel message, changed in place to show the record (and its live state) now."""
        where = self.posts.get_post(record.key) if self.posts is not None else None
        if where is not None:
            self._update(record, where.channel_id, where.ts)

    def _update(self, record: MeetingRecord, channel_id: str, ts: str) -> None:
        text, message_blocks = self._post_message(record)
        try:
            self.client_for(record.request.team_id).chat_update(channel=channel_id, ts=ts, text=text, blocks=message_blocks)
        except SLACK_ERRORS as exc:
            log.info("chat.update of %s failed: %s", record.key, reason(exc))

    def sync_reminders(self, record: MeetingRecord, redo: bool = False) -> None:
        """Make the reminders Slack holds for this meeting the ones it needs now, as replies in the post's
        thread: new ones scheduled (a repeat's next days: the periodic top-up calls this), ones no longer
        wanted deleted (an edit, a cancel), ones already due forgotten."""
        if self.posts is None:
            return
        where = self.posts.get_post(record.key)
        wanted: list[int] = []
        if where is not None and record.meeting is not None and record.status in LIVE:
            wanted = [int(moment.timestamp()) for moment in reminder_times(record.request, self.now())]
        now = self.now().timestamp()
        kept: set[int] = set()
        for old in self.posts.reminders(record.key):
            if old.post_at in wanted and not redo:
                kept.add(old.post_at)
                continue
            if old.post_at > now:
                try:
                    self.client_for(record.request.team_id).chat_deleteScheduledMessage(channel=old.channel_id,
                                                            scheduled_message_id=old.scheduled_message_id)
                except SLACK_ERRORS as exc:  # already posted, or gone: either way not ours to delete any more
                    log.info("deleting a reminder of %s: %s", record.key, reason(exc))
            self.posts.drop_reminder(record.key, old.scheduled_message_id)
        missing = sorted(set(wanted) - kept)
        if where is None or record.meeting is None or not missing:
            return
        text, reminder_blocks = blocks.reminder_blocks(record.request.title, record.request.reminder_minutes or 0,
                                                       record.meeting.join_url)
        for post_at in missing:
            try:
                answer = self.client_for(record.request.team_id).chat_scheduleMessage(
                    channel=where.channel_id, text=text, thread_ts=record.request.thread_ts or where.ts,
                    blocks=reminder_blocks, post_at=post_at)
            except SLACK_ERRORS as exc:
                log.info("scheduling a reminder of %s failed: %s", record.key, reason(exc))
                continue
            if answer.get("scheduled_message_id"):
                self.posts.add_reminder(record.key, ScheduledReminder(where.channel_id,
                                                                      str(answer["scheduled_message_id"]), post_at))

    def host_link(self, record: MeetingRecord, channel_id: str, host_url: str | None) -> None:
        """The organiser's fresh host link, ephemeral and only to them (never a stored message)."""
        label = self.providers.label(record.request.provider)
        if not host_url:
            self.tell(record.request.team_id, channel_id, record.request.user_id, "", messages.host_link_missing(label))
            return
        text = messages.host_link_ready()
        self.send(Note(record.request.user_id, channel_id, text, blocks.host_blocks(text, host_url), host_only=True,
                       team_id=record.request.team_id))

    def report(self, request: MeetingRequest, outcome: Outcome) -> None:
        text, note_blocks = self._wording(request, outcome)
        self.send(Note(request.user_id, request.origin_channel_id or request.channel_id, text, note_blocks,
                       response_url=self._response_url(request, request.origin_response_url), team_id=request.team_id))

    def _wording(self, request: MeetingRequest, outcome: Outcome) -> tuple[str, list[dict[str, Any]]]:
        label, key, kind, error = self.providers.label(request.provider), request.key, outcome.kind, outcome.error
        if kind is OutcomeKind.NOT_LINKED:
            # The provider's own words may come through (a 401's message): text, so escaped for mrkdwn.
            text = escape(messages.provider_problem(label, error)) if error else messages.reconnect(label, request.provider)
            provider = self.providers.get(request.provider)
            if provider is not None and provider.needs_account:
                return text, blocks.reconnect_blocks(text, request.provider, label)
            return text, blocks.notice(text)
        if kind is OutcomeKind.IN_PROGRESS:
            return messages.retry_in_progress(), blocks.notice(messages.retry_in_progress())
        if kind is OutcomeKind.ALREADY_POSTED:
            return messages.already_done(), blocks.notice(messages.already_done())
        if kind is OutcomeKind.NOT_SAVED:  # no saved request for a Retry button to replay
            return messages.not_saved(), blocks.notice(messages.not_saved())
        if kind is OutcomeKind.CHANGE_FAILED:
            text = escape(messages.change_failed(label, messages.provider_problem(label, error) if error else ""))
            return text, blocks.notice(text)
        if kind is OutcomeKind.LEFT_AT_PROVIDER:
            return messages.left_at_provider(label), blocks.notice(messages.left_at_provider(label))
        if kind is OutcomeKind.REMADE:
            return messages.remade(label), blocks.notice(messages.remade(label))
        if kind is OutcomeKind.RATE_LIMITED:
            text = messages.rate_limited(label, error.retry_after if isinstance(error, ProviderRateLimited) else None)
        elif kind is OutcomeKind.UNKNOWN:
            text = messages.creation_unknown(label)
        elif kind is OutcomeKind.BUSY:
            text = messages.provider_busy(label)
        elif kind is OutcomeKind.FAILED:
            text = messages.creation_failed(label, messages.provider_problem(label, error)) if error else messages.failed_before()
        else:
            text = messages.unexpected_error()
        return text, blocks.retry_blocks(text, key)

    def tell(self, team_id: str, channel_id: str, user_id: str, response_url: str, text: str,
             note_blocks: list[dict[str, Any]] | None = None) -> Route:
        """A private reply to a user of `team_id` (help, errors after the ack, account commands)."""
        return self.send(Note(user_id, channel_id, text, note_blocks or blocks.notice(text), response_url=response_url,
                              team_id=team_id))


def _edit_stamp(request: MeetingRequest) -> str:
    """Names one edit's values in the replacement post's metadata (a takeover of that edit looks for it)."""
    values = f"{request.start.isoformat()}|{request.duration_minutes}|{request.rrule}|{request.title}"
    return hashlib.sha256(values.encode()).hexdigest()[:16]
