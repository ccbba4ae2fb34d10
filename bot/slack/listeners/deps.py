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
from bot.slack.directory import UserDirectory
from bot.slack.live import LiveUpdates
from bot.slack.notifier import SlackNotifier
from bot.storage import MeetbotStore

if TYPE_CHECKING:
    from bot.linking import Linker


@dataclass
class Deps:
    settings: Settings
    store: MeetbotStore
    providers: ProviderRegistry
    client: WebClient
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

    def provider_choices(self, team_id: str, user_id: str) -> tuple[list[tuple[str, str]], str]:
        """[(value, label)] the user can pick, and their default (a linked default, else Jitsi)."""
        linked = [a.provider for a in self.store.list_accounts(team_id, user_id) if a.status == "active"]
        names = self.providers.usable(linked)
        default = self.store.get_default_provider(team_id, user_id)
        if default not in names:
            default = "jitsi" if "jitsi" in names else names[0]
        return [(n, self.providers.label(n)) for n in names], default
