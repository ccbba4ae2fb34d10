"""Prometheus metrics: the series `GET /metrics` exposes, defined once here and updated at the edges.

Labels are low-cardinality names only (Slack surface, outcome, provider, final state, error kind, lane):
never a user or team id, a title or a URL, so the exposition can be shared with whoever runs the monitoring.
Every series is labelled, so its values are made when first used, after `configure()` has chosen how they
are kept: in this process's memory (the default), or, with `MEETBOT_METRICS_DIR` set, in prometheus-client's
multiprocess files in that directory, which `exposition()` then sums over every process that wrote there
(several `--workers` sharing one port report the figures of all of them).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import REGISTRY, multiprocess, values

ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
CALL_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)

slack_requests = Counter("meetbot_slack_requests", "Slack requests handled, by surface and outcome",
                         ["surface", "outcome"])
ack_seconds = Histogram("meetbot_slack_ack_seconds", "Time from a Slack request reaching the app to its ack",
                        ["surface"], buckets=ACK_BUCKETS)
meetings = Counter("meetbot_meetings", "Meeting requests that reached a final state, by provider and state",
                   ["provider", "state"])
provider_seconds = Histogram("meetbot_provider_call_seconds", "Provider HTTP call latency (one attempt)",
                             ["provider"], buckets=CALL_BUCKETS)
provider_errors = Counter("meetbot_provider_errors", "Provider HTTP calls that failed, by provider and kind",
                          ["provider", "kind"])
token_refreshes = Counter("meetbot_token_refreshes", "Provider token refreshes, by provider and outcome",
                          ["provider", "outcome"])
lane_depth = Gauge("meetbot_lane_depth", "Meeting jobs queued or running on a provider's lane", ["lane"],
                   multiprocess_mode="livesum")
lane_wait_seconds = Histogram("meetbot_lane_job_age_seconds", "How long a lane's job waited before it started",
                              ["lane"], buckets=CALL_BUCKETS)
reminders = Counter("meetbot_reminders_scheduled", "Meeting reminders scheduled", ["provider"])
webhook_events = Counter("meetbot_webhook_events", "Provider webhook events received, by provider and event",
                         ["provider", "event"])
pruned_rows = Counter("meetbot_pruned_rows", "Rows removed by the retention pruning, by kind", ["kind"])

_multiprocess_dir: str | None = None


def shared_directory(configured: str | None) -> str:
    """The directory `--workers N` share their figures through: the configured one emptied of a previous
    run's files (prometheus-client's advice: stale files would be summed in), else a fresh private one."""
    if not configured:
        return tempfile.mkdtemp(prefix="meetbot-metrics-")
    Path(configured).mkdir(parents=True, exist_ok=True)
    for stale in Path(configured).glob("*.db"):
        stale.unlink()
    return configured


def configure(directory: str | None) -> None:
    """Keep values in memory (None) or in multiprocess files under `directory` (made if missing).

    Call once per process before any series is used. prometheus-client's multiprocess mode is driven by the
    PROMETHEUS_MULTIPROC_DIR variable (its own contract, read by the library), so it is set here from our
    setting, and inherited by workers forked after this call.
    """
    global _multiprocess_dir
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    values.ValueClass = values.MultiProcessValue()
    _multiprocess_dir = directory


def exposition() -> tuple[bytes, str]:
    """(body, content type) of the Prometheus text exposition: every worker's figures in multiprocess mode."""
    if _multiprocess_dir:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=_multiprocess_dir)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
