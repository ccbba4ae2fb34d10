"""The meeting request's lifecycle: the only place that knows the statuses and which moves are legal.

    requested ──► creating ──► created ──► posted
        │            │ │
        │            │ └──► unknown ──► requested (Retry)
        ▼            ▼
      failed ◄───────┘        failed ──► requested (Retry)

`requested`, `creating` and `created` are *in flight*: a worker holds a lease on the row while it works, and
an expired lease is taken over (see `bot.domain.scheduler`). `posted`, `failed` and `unknown` are *settled*:
nothing runs until a person acts (Retry).

After the post, the organiser may change or cancel the meeting (bot/domain/changes.py):

    posted/edited ──► editing ──► edited          posted/edited ──► cancelling ──► cancelled

`editing` and `cancelling` are in flight too (leased, taken over after a crash, and the provider call they
make is safe to repeat); `edited` and `cancelled` are settled. One compare-and-swap claims each change, so a
double click changes or cancels once.
"""

from __future__ import annotations

from enum import StrEnum


class MeetingStatus(StrEnum):
    REQUESTED = "requested"  # saved under its key; nothing sent to the provider yet
    CREATING = "creating"  # the create call may have left: its outcome must be found out before acting again
    CREATED = "created"  # the provider made it; the link has not reached Slack yet
    POSTED = "posted"  # the link reached Slack (channel, response_url or the organiser's DM)
    FAILED = "failed"  # the provider refused or could not be reached before sending; Retry replays it
    UNKNOWN = "unknown"  # the create call may have worked and the provider could not tell us; Retry replays it
    EDITING = "editing"  # the organiser's new values are saved; the provider and the post are being updated
    EDITED = "edited"  # changed after it was posted; the post shows the new values
    CANCELLING = "cancelling"  # the organiser cancelled it; the provider and the post are being updated
    CANCELLED = "cancelled"  # gone at the provider (where it can be deleted); the post says so


S = MeetingStatus

TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    S.REQUESTED: frozenset({S.CREATING, S.FAILED}),
    S.CREATING: frozenset({S.CREATED, S.FAILED, S.UNKNOWN}),
    S.CREATED: frozenset({S.POSTED}),
    S.POSTED: frozenset({S.EDITING, S.CANCELLING}),
    S.FAILED: frozenset({S.REQUESTED}),
    S.UNKNOWN: frozenset({S.REQUESTED}),
    S.EDITING: frozenset({S.EDITED}),
    S.EDITED: frozenset({S.EDITING, S.CANCELLING}),
    S.CANCELLING: frozenset({S.CANCELLED}),
    S.CANCELLED: frozenset(),
}

IN_FLIGHT = frozenset({S.REQUESTED, S.CREATING, S.CREATED, S.EDITING, S.CANCELLING})  # leased; taken over on expiry
SETTLED = frozenset(TRANSITIONS) - IN_FLIGHT

CHANGEABLE = frozenset({S.POSTED, S.EDITED})  # what the organiser may edit or cancel
LIVE = frozenset({S.CREATED, S.POSTED, S.EDITING, S.EDITED})  # meetings still going ahead (App Home lists them)

# Names older databases used, read as today's statuses (schema migration 3 rewrites them).
LEGACY_NAMES: dict[str, MeetingStatus] = {"pending": S.REQUESTED}


class IllegalTransition(ValueError):
    """A move the transitions table does not allow: a bug in the caller, never a user error."""


def check_transition(from_status: MeetingStatus, to_status: MeetingStatus) -> None:
    """Raise `IllegalTransition` unless `from_status → to_status` is in the table."""
    if to_status not in TRANSITIONS[from_status]:
        raise IllegalTransition(f"{from_status.value} → {to_status.value} is not a meeting request transition")
