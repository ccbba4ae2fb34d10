"""A workspace's policy, set by its Slack admins in the App Home: which providers members may use, the
workspace's default provider, the default reminder, and how big a channel may be before posting to it asks
for a confirmation. Pure data and checks; the store keeps it per workspace, the Slack side enforces it."""

from __future__ import annotations

from dataclasses import dataclass

REMINDER_CHOICES = (0, 5, 10, 15, 30)  # minutes before the start; 0 is none (the modal's `reminder` values)


@dataclass(frozen=True)
class WorkspacePolicy:
    team_id: str
    allowed_providers: tuple[str, ...] = ()  # empty: every configured provider
    default_provider: str | None = None  # members without a default of their own get this one
    reminder_minutes: int | None = None  # None: the deployment's MEETBOT_REMINDER_MINUTES
    confirm_over_members: int | None = None  # posting to a bigger channel asks first; None: never asks
    updated_by: str | None = None
    updated_at: float = 0.0

    def allows(self, provider: str) -> bool:
        return not self.allowed_providers or provider in self.allowed_providers

    def filter(self, providers: list[str]) -> list[str]:
        """The providers a member may pick, in the given order."""
        return [name for name in providers if self.allows(name)]

    def needs_confirmation(self, members: int | None) -> bool:
        return self.confirm_over_members is not None and members is not None and members > self.confirm_over_members


class PolicyInvalid(ValueError):
    """Settings an admin entered that cannot be saved; `field` names the input, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def validated(policy: WorkspacePolicy, known_providers: list[str]) -> WorkspacePolicy:
    """The policy if it can be saved, else `PolicyInvalid` for the first input at fault."""
    unknown = [name for name in policy.allowed_providers if name not in known_providers]
    if unknown:
        raise PolicyInvalid("allowed_providers", f"unknown provider: {unknown[0]}")
    if policy.default_provider is not None and not policy.allows(policy.default_provider):
        raise PolicyInvalid("default_provider", "the default provider must be one of the allowed providers")
    if policy.reminder_minutes is not None and policy.reminder_minutes not in REMINDER_CHOICES:
        raise PolicyInvalid("reminder", "the default reminder must be none, 5, 10, 15 or 30 minutes")
    if policy.confirm_over_members is not None and policy.confirm_over_members < 1:
        raise PolicyInvalid("confirm_over", "the channel size must be a whole number of members, 1 or more")
    return policy
