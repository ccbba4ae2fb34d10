"""`meetbot requests` on a database produced by a kill test of the durability issue (SIGKILL while Zoom holds
the create call, then a restart that adopts the meeting): the request and its history, time and reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.providers.test_crash_recovery import killed_while_zoom_holds_the_create_call, linked

KEY = "view:T1:V42"


def meetbot_requests(settings, cwd, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(cwd), "MEETBOT_DB": settings.meetbot_db,
           "MEETBOT_SECRET_KEY": settings.meetbot_secret_key.get_secret_value()}
    return subprocess.run([sys.executable, "-m", "bot", "requests", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def test_requests_after_a_crash(tmp_path, slack, zoom, dialpad):
    settings, _ = killed_while_zoom_holds_the_create_call(tmp_path, slack, zoom, dialpad)

    listed = meetbot_requests(settings, tmp_path, "--since", "1h")
    assert listed.returncode == 0, listed.stderr
    assert KEY in listed.stdout and "posted" in listed.stdout and "Design review" in listed.stdout
    assert "taken over" in listed.stdout and "found at the provider and adopted" in listed.stdout
    assert "UTC" in listed.stdout and "Traceback" not in listed.stderr

    one = meetbot_requests(settings, tmp_path, KEY, "--json")
    record = json.loads(one.stdout)
    assert record["key"] == KEY and record["status"] == "posted" and record["provider"] == "zoom"
    moves = [(change["from"], change["to"]) for change in record["history"]]
    assert moves[0] == (None, "requested") and moves[-1] == ("created", "posted")
    assert ("creating", "created") in moves and ("creating", "creating") in moves  # the takeover
    assert all(change["reason"] and change["at"] > 0 for change in record["history"])
    assert [c["at"] for c in record["history"]] == sorted(c["at"] for c in record["history"])
    assert "start_url" not in one.stdout and "/s/" not in one.stdout  # never the host link

    assert meetbot_requests(settings, tmp_path, "--state", "failed").stdout == ""
    assert meetbot_requests(settings, tmp_path, "--user", "U9").stdout == ""
    assert KEY in meetbot_requests(settings, tmp_path, "--user", "U1", "--state", "posted").stdout


def test_requests_explains_bad_flags_and_unknown_keys(tmp_path, slack, zoom, dialpad):
    settings = linked(tmp_path, slack, zoom, dialpad)
    bad_state = meetbot_requests(settings, tmp_path, "--state", "lost")
    assert bad_state.returncode == 2 and "--state is one of" in bad_state.stderr and "posted" in bad_state.stderr
    bad_since = meetbot_requests(settings, tmp_path, "--since", "yesterdayish")
    assert bad_since.returncode == 2 and "--since takes" in bad_since.stderr
    missing = meetbot_requests(settings, tmp_path, "view:T1:nope")
    assert missing.returncode == 1 and "no meeting request" in missing.stderr and "Traceback" not in missing.stderr
