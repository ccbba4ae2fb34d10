"""One typed settings object, read once from the environment (and an optional `.env`) and passed down.

The variable names are a public contract (see README and shared CONTRACT.md): tools and deployments drive
meetbot by them. Nothing else in the package reads `os.environ`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import MissingSetting


class Settings(BaseSettings):
    """Everything meetbot can be configured with. Field name == lower-cased environment variable."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = Field(
        None, description="the bot token (xoxb-…) from the Slack app's OAuth page (one workspace; unset with "
                          "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set: installed into many through /slack/install)"
    )
    slack_signing_secret: SecretStr | None = Field(
        None, description="the signing secret from the Slack app's Basic Information page, to verify requests"
    )
    slack_app_token: SecretStr | None = Field(
        None, description="the app-level token (xapp-…, connections:write) for Socket Mode"
    )
    slack_api_url: str = Field("https://slack.com/api/", description="base URL of the Slack Web API")
    meetbot_db: str = Field("./meetbot.db", description="path of the SQLite database file")
    meetbot_secret_key: SecretStr | None = Field(
        None,
        description="comma-separated keys (newest first) that encrypt provider tokens and sign OAuth state",
    )
    meetbot_public_url: str | None = Field(
        None, description="the public https URL where this app is reachable (OAuth redirects start with it)"
    )
    meetbot_default_tz: str = Field("UTC", description="IANA time zone used when a user's own zone is unknown")
    zoom_client_id: str | None = Field(None, description="the Zoom OAuth app's client id, to link Zoom accounts")
    zoom_client_secret: SecretStr | None = Field(None, description="the Zoom OAuth app's client secret")
    zoom_api_url: str = Field("https://api.zoom.us/v2", description="base URL of the Zoom REST API")
    zoom_oauth_url: str = Field("https://zoom.us/oauth", description="base URL of Zoom's OAuth endpoints")
    zoom_webhook_secret: SecretStr | None = Field(
        None, description="the Zoom app's webhook secret token, to verify POST /zoom/webhook"
    )
    dialpad_client_id: str | None = Field(None, description="the Dialpad OAuth app's client id")
    dialpad_client_secret: SecretStr | None = Field(None, description="the Dialpad OAuth app's client secret")
    dialpad_api_key: SecretStr | None = Field(
        None, description="a Dialpad company API key (company mode: link users by email, no OAuth)"
    )
    dialpad_api_url: str = Field("https://dialpad.com/api/v2", description="base URL of the Dialpad API")
    dialpad_oauth_url: str = Field("https://dialpad.com/oauth2", description="base URL of Dialpad's OAuth endpoints")
    jitsi_base_url: str = Field("https://meet.jit.si", description="base URL of the Jitsi server for meeting rooms")
    slack_client_id: str | None = Field(
        None, description="the Slack app's client id (Basic Information): with the secret, linking starts with Sign in "
                          "with Slack, and without SLACK_BOT_TOKEN the app is installed per workspace at /slack/install"
    )
    slack_client_secret: SecretStr | None = Field(None, description="the Slack app's client secret (Basic Information)")
    slack_oauth_url: str = Field("https://slack.com", description="base URL of Slack's browser-facing authorize pages")
    meetbot_lease_seconds: float = Field(
        30.0, gt=0, description="how long a meeting request whose worker died waits before another worker takes it over"
    )
    meetbot_slack_timeout: int = Field(5, gt=0, description="seconds to wait for Slack's Web API before giving up")
    meetbot_database_url: str | None = Field(
        None, description="postgresql://user:password@host/db: store in PostgreSQL (several instances); wins over MEETBOT_DB"
    )
    meetbot_log_format: Literal["text", "json"] = Field(
        "text", description="log lines as `text` or `json` (one JSON object a line, with the request context)"
    )
    meetbot_metrics_dir: str | None = Field(
        None, description="a directory for the metrics of several worker processes (prometheus-client multiprocess mode)"
    )
    meetbot_retention_days: float = Field(
        30.0, gt=0, description="days a settled meeting request and its state history are kept (`meetbot requests`)"
    )
    meetbot_reminder_minutes: int | None = Field(
        10, ge=0, description="the modal's default reminder before a meeting, in minutes (5, 10, 15 or 30; 0: none)"
    )

    def require(self, *names: str) -> None:
        """Raise `MissingSetting` for the first of `names` that is unset or empty.

        Commands call this up front so a missing variable is one clear line, not a stack trace later.
        """
        for name in names:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            if not value:
                field = type(self).model_fields[name]
                raise MissingSetting(name.upper(), field.description or "")

    @classmethod
    def variables(cls) -> list[tuple[str, str, str]]:
        """(ENV_NAME, default, description) for every setting: the README's configuration table."""
        rows = []
        for name, field in cls.model_fields.items():
            default = "" if field.default is None else str(field.default)
            rows.append((name.upper(), default, field.description or ""))
        return rows
