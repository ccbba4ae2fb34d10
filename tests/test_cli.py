"""`meetbot` as a user runs it: a real subprocess for the console entry point, `main()` for the rest."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot import __version__
from bot.cli import main

NOW = ["--now", "2026-11-18T14:00:00", "--tz", "Europe/London"]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_done_when_example_prints_the_row():
    result = run_cli("parse", "--json", *NOW, "every 2 weeks on monday at 3pm")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "title": None,
        "start": "2026-11-23T15:00:00+00:00",
        "end": "2026-11-23T15:30:00+00:00",
        "duration_minutes": 30,
        "timezone": "Europe/London",
        "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        "instant": False,
    }


def test_readable_line(capsys):
    assert main(["parse", "--now", "2026-11-18T14:00:00", "--tz", "America/Los_Angeles", "Design", "review", "next", "wednesday", "3pm", "for", "45m"]) == 0
    assert capsys.readouterr().out.strip() == "Design review · Wed 25 Nov 2026, 15:00–15:45 PST (America/Los_Angeles)"


def test_error_json_and_exit_2(capsys):
    assert main(["parse", "--json", *NOW, "asdf"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"error"} and "couldn't find a time" in out["error"]


def test_error_without_json_goes_to_stderr(capsys):
    assert main(["parse", *NOW, "tomorrow"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Add a time" in captured.err


def test_stdin_one_json_line_per_phrase():
    result = run_cli("parse", "--json", *NOW, "-", stdin="tomorrow 10am\nasdf\n\nnow\n")
    assert result.returncode == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [("error" in obj) for obj in lines] == [False, True, False]
    assert lines[0]["start"] == "2026-11-19T10:00:00+00:00" and lines[2]["instant"] is True


def test_default_tz_comes_from_settings(monkeypatch, capsys):
    monkeypatch.setenv("MEETBOT_DEFAULT_TZ", "Asia/Tokyo")
    assert main(["parse", "--json", "--now", "2026-11-18T14:00:00", "tomorrow 9am"]) == 0
    assert json.loads(capsys.readouterr().out)["start"] == "2026-11-19T09:00:00+09:00"


@pytest.mark.parametrize("args", [["--tz", "Mars/Base", "3pm"], ["--now", "yesterday-ish", "3pm"]])
def test_bad_options_exit_2(args, capsys):
    assert main(["parse", *args]) == 2
    assert "error:" in capsys.readouterr().err


def test_version_and_help():
    assert run_cli("--version").stdout.strip() == f"meetbot {__version__}"
    help_text = run_cli("--help").stdout
    assert "parse" in help_text
    assert run_cli().returncode == 2  # no command: help and a usage exit


@pytest.mark.parametrize("command, variable", [("serve", "SLACK_BOT_TOKEN"), ("run", "SLACK_BOT_TOKEN")])
def test_missing_setting_is_one_line_and_exit_2(command, variable, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "bot", command], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path, check=False)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0] and "bot token" in lines[0]


def test_rotate_keys_re_encrypts_under_the_new_key(tmp_path, capsys, monkeypatch):
    from cryptography.fernet import Fernet

    from bot.crypto import TokenCipher
    from bot.stores import LinkedAccount
    from bot.stores.sqlite import SqliteStore as Store

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    db = str(tmp_path / "m.db")
    store = Store(db, TokenCipher.from_keys([old]))
    store.save_account(LinkedAccount("T1", "U1", "zoom", "z1", "a@x", "access-secret", "refresh-secret", 1.0))
    store.close()
    monkeypatch.setenv("MEETBOT_DB", db)
    monkeypatch.setenv("MEETBOT_SECRET_KEY", f"{new},{old}")
    assert main(["rotate-keys"]) == 0
    assert "re-encrypted 1" in capsys.readouterr().out
    only_new = Store(db, TokenCipher.from_keys([new]))
    assert only_new.get_account("T1", "U1", "zoom").refresh_token == "refresh-secret"
    only_new.close()


def test_unusable_database_at_start_is_one_line(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s",
           "MEETBOT_DB": str(blocker / "meetbot.db"), "MEETBOT_SECRET_KEY": "a-long-random-passphrase-for-tests"}
    result = subprocess.run([sys.executable, "-m", "bot", "serve"], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path, check=False)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "meetbot.db" in result.stderr and "Traceback" not in result.stderr


def test_a_setting_with_an_unusable_value_is_one_line(monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("MEETBOT_LOG_FORMAT", "xml")
    assert main(["parse", "now"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "MEETBOT_LOG_FORMAT" in err and "'text' or 'json'" in err
