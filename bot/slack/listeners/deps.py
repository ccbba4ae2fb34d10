"""What listeners need, bundled so `build_app` wires it once and tests pass fakes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.domain.changes import MeetingChanges
from bot.domain.leases import LeaseKeeper
from bot.domain.scheduler import Scheduler
from bot.jobs import Jobs
from bot.linking import StateSigner
from bot.providers import ProviderRegistry
from bot.settings import Settings
from bot.slack.clients import SlackClients
from bot.slack.directory import UserDirectory
from bot.slack.live import LiveUpdates
from bot.slack.notifier import SlackNotifier
from bot.stores import MeetbotStore

if TYPE_CHECKING:
    from bot.linking import Linker


@dataclass
class Deps:
    settings: Settings
    store: MeetbotStore
    providers: ProviderRegistry
    clients: SlackClients
    directory: UserDirectory
    notifier: SlackNotifier
    scheduler: Scheduler
    keeper: LeaseKeeper
    jobs: Jobs
    now: Callable[[], datetime]
    changes: MeetingChanges
    live: LiveUpdates
    linker: "Linker | None" = None  # when MEETBOT_PUBLIC_URL is set
    ics_signer: StateSigner | None = None  # signs /ics/{token}.ics links, when MEETBOT_PUBLIC_URL is set

    def slack(self, team_id: str) -> WebClient:
        """The Web API client of `team_id` (NotInstalled, a Slack client error, when it has none)."""
        return self.clients.for_team(team_id)

    def provider_choices(self, team_id: str, user_id: str) -> tuple[list[tuple[str, str]], str]:
        """[(value, label)] the user can pick (within the workspace policy's allowed providers), and their
        default: their own, else the workspace's, else Jitsi. ([], "") when the policy leaves them nothing."""
        linked = [a.provider for a in self.store.list_accounts(team_id, user_id) if a.status == "active"]
        policy = self.store.get_policy(team_id)
        names = policy.filter(self.providers.usable(linked))
        if not names:
            return [], ""
        default = self.store.get_default_provider(team_id, user_id)
        if default not in names:
            default = policy.default_provider if policy.default_provider in names else None
        if default is None:
            default = "jitsi" if "jitsi" in names else names[0]
        return [(n, self.providers.label(n)) for n in names], default

    def default_reminder(self, team_id: str) -> int | None:
        """Minutes before the start the modal offers first: the workspace policy's, else MEETBOT_REMINDER_MINUTES."""
        chosen = self.store.get_policy(team_id).reminder_minutes
        return self.settings.meetbot_reminder_minutes if chosen is None else chosen
