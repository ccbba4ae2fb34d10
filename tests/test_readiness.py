"""`GET /readyz` (200 only when the database answers and its schema is current) on both backends, and the
deployment files: the compose file's environment names are settings meetbot knows."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.settings import Settings
from tests.harness import make_settings, on_both_backends, running_meetbot  # noqa: F401 - both backends

ROOT = Path(__file__).resolve().parent.parent


def test_readyz_follows_the_database_and_its_schema(tmp_path, slack, backend):
    with running_meetbot(make_settings(tmp_path, slack.base_url, **backend)) as meetbot:
        assert meetbot.http.get(f"{meetbot.base_url}/readyz").status_code == 200
        with meetbot.store.transaction() as db:  # a newer meetbot migrated this database further
            db.execute("INSERT INTO schema_version (version) VALUES (?)", [999])
        stale = meetbot.http.get(f"{meetbot.base_url}/readyz")
        assert stale.status_code == 503 and "schema" in stale.text
        assert meetbot.http.get(f"{meetbot.base_url}/healthz").status_code == 200  # liveness is not readiness


def test_compose_environment_names_are_settings_meetbot_knows():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    known = {name.upper() for name in Settings.model_fields}
    meetbots = [s for s in compose["services"].values() if s.get("command", [None])[0] == "meetbot"]
    assert len(meetbots) >= 2
    for service in meetbots:
        names = set(service["environment"])
        assert names <= known, names - known
        assert {"MEETBOT_DATABASE_URL", "MEETBOT_SECRET_KEY", "SLACK_SIGNING_SECRET"} <= names


def test_dockerfile_runs_meetbot_serve_as_a_non_root_user_with_a_health_check():
    text = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in text and "USER meetbot" in text
    assert 'CMD ["meetbot", "serve"' in text and "/healthz" in text
