"""The `meetbot` command (also `python -m bot`): `parse` now; `run` and `serve` start the Slack app.

Settings are read once here and passed down. Every expected failure is one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from typing import Sequence, TextIO

from bot import __version__
from bot.errors import MeetbotError, ParseError, StartupError
from bot.settings import Settings

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEFAULT_GRACE_SECONDS = 8.0  # bot.runtime.DEFAULT_GRACE_SECONDS (not imported: `parse` stays light)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meetbot",
        description="Create meetings from Slack with /meet. Commands below; `meetbot COMMAND --help` for more.",
    )
    parser.add_argument("--version", action="version", version=f"meetbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    parse = commands.add_parser(
        "parse",
        help="turn free text into a meeting time (what /meet understands)",
        description="Turn what a person types after /meet into a meeting time. TEXT '-' reads one phrase per line "
        "from stdin and writes one JSON line each.",
    )
    parse.add_argument("--now", help="the current time as ISO-8601 (default: now); naive times are read in --tz")
    parse.add_argument("--tz", help="the user's IANA time zone (default: MEETBOT_DEFAULT_TZ)")
    parse.add_argument("--json", action="store_true", help="print one JSON object instead of a readable line")
    parse.add_argument("text", nargs="+", metavar="TEXT", help="e.g. Design review tomorrow 3pm for 45m")
    run = commands.add_parser(
        "run",
        help="start the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP (as serve)",
        description="Start the Slack app. With SLACK_APP_TOKEN set it connects over Socket Mode and still serves "
        "the other HTTP routes (OAuth linking, /zoom/webhook, /healthz) on --host/--port; MEETBOT_PUBLIC_URL must "
        "reach that port for linking. Otherwise it serves HTTP like `meetbot serve`.",
    )
    serve = commands.add_parser("serve", help="serve the Slack app over HTTP (POST /slack/events, GET /healthz)")
    for command in (run, serve):
        command.add_argument("--host", default="0.0.0.0", help="interface to listen on (default 0.0.0.0)")
        command.add_argument("--port", type=int, default=3000, help="port to listen on (default 3000)")
        command.add_argument("--threads", type=int, default=16, help="HTTP worker threads (default 16)")
        command.add_argument("--grace", type=float, default=DEFAULT_GRACE_SECONDS, metavar="SECONDS",
                             help="on SIGTERM/SIGINT, how long in-flight work may finish (default 8)")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="pre-forked worker processes sharing the port (default 1; see docs/scaling.md)")
    commands.add_parser(
        "rotate-keys",
        help="re-encrypt every stored provider token under the first key of MEETBOT_SECRET_KEY",
        description="Key rotation: set MEETBOT_SECRET_KEY=new,old (newest first), run this once, then drop the old key.",
    )
    commands.add_parser(
        "migrate",
        help="apply the database schema migrations and exit",
        description="Bring the database (MEETBOT_DATABASE_URL, else MEETBOT_DB) to the current schema. Every start "
        "does this too, under a lock, so running it first is optional: it lets a deployment migrate before rollout.",
    )
    requests = commands.add_parser(
        "requests",
        help="recent meeting requests and their state history (what happened to my meeting?)",
        description="List recent meeting requests, newest first, each with its state changes (time and reason); "
        "with KEY, show that one request.",
    )
    requests.add_argument("--user", help="only this Slack user id's requests (e.g. U0123ABC)")
    requests.add_argument("--since", default="1d", help="requests made since an age (30m, 1h, 2d) or a date (default 1d)")
    requests.add_argument("--state", help="only requests now in this state (e.g. failed, unknown, posted)")
    requests.add_argument("--limit", type=int, default=50, help="at most this many requests (default 50)")
    requests.add_argument("--json", action="store_true", help="one JSON object a request")
    requests.add_argument("key", nargs="?", metavar="KEY", help="one request's key, as shown in the list")
    return parser


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ParseError(f"--now must be an ISO-8601 time such as 2026-11-18T14:00:00, not “{value}”.") from None


def _one(text: str, tz: str, now: datetime | None, as_json: bool, out: TextIO) -> bool:
    from bot.timeparse import format_line, parse_when

    try:
        parsed = parse_when(text, tz, now)
    except ParseError as exc:
        _print_error(exc.hint, as_json, out)
        return False
    print(json.dumps(parsed.to_json(), ensure_ascii=False) if as_json else format_line(parsed), file=out)
    return True


def _print_error(hint: str, as_json: bool, out: TextIO) -> None:
    if as_json:
        print(json.dumps({"error": hint}, ensure_ascii=False), file=out)
    else:
        print(f"error: {hint}", file=sys.stderr)


def _one_of_many(text: str, tz: str, now: datetime | None, as_json: bool, out: TextIO) -> None:
    """One line of `meetbot parse -`: whatever goes wrong with it, the later lines still get their answers."""
    try:
        _one(text, tz, now, as_json, out)
    except Exception as exc:  # noqa: BLE001 - a batch must never die on one phrase
        _print_error(f"couldn't parse this line ({type(exc).__name__})", as_json, out)


def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from bot.timeparse import resolve_zone

    tz = args.tz or settings.meetbot_default_tz
    now = _parse_now(args.now)
    resolve_zone(tz)  # an unknown zone is a usage error, before any phrase
    if args.text == ["-"]:
        for line in sys.stdin:
            if line.strip():
                _one_of_many(line.strip(), tz, now, args.json, sys.stdout)
                sys.stdout.flush()
        return 0
    return 0 if _one(" ".join(args.text), tz, now, args.json, sys.stdout) else EXIT_USAGE


def _serve(args: argparse.Namespace, settings: Settings, socket_mode: bool) -> int:
    from bot.runtime import check_settings, run_service

    workers = getattr(args, "workers", 1)
    if workers < 1:
        raise StartupError(f"--workers {workers}: use 1 or more (default 1).")
    if workers > 1:
        from bot import metrics
        from bot.logsafe import configure_logging
        from bot.workers import run_workers

        check_settings(settings, args.port)
        configure_logging()
        # Every worker writes its figures where each worker's GET /metrics sums them all.
        settings = settings.model_copy(update={"meetbot_metrics_dir": metrics.shared_directory(settings.meetbot_metrics_dir)})
        return run_workers(lambda sock: run_service(settings, host=args.host, port=args.port, threads=args.threads,
                                                    grace=args.grace, sock=sock), args.host, args.port, workers)

    finished = run_service(settings, host=args.host, port=args.port, threads=args.threads, socket_mode=socket_mode,
                           grace=args.grace)
    if not finished:  # jobs still running at the deadline: exit now, without joining their threads
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0


def _require_bot_token(settings: Settings) -> None:
    """One workspace needs its bot token; a distributable app (client id and secret) gets one per install."""
    from bot.slack.clients import distributable

    if not distributable(settings):
        settings.require("slack_bot_token")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    _require_bot_token(settings)
    settings.require("slack_signing_secret")
    return _serve(args, settings, socket_mode=False)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Socket Mode with an app token, HTTP with a signing secret; with neither, say both ways."""
    _require_bot_token(settings)
    if settings.slack_app_token is not None and settings.slack_app_token.get_secret_value():
        return _serve(args, settings, socket_mode=True)
    if settings.slack_signing_secret is None or not settings.slack_signing_secret.get_secret_value():
        from bot import messages

        raise StartupError(messages.no_way_to_run())
    return _serve(args, settings, socket_mode=False)


def cmd_rotate_keys(args: argparse.Namespace, settings: Settings) -> int:
    from bot.stores import open_store

    settings.require("meetbot_secret_key")
    store = open_store(settings)
    rotated, undecryptable = store.rotate_keys()
    store.close()
    print(f"re-encrypted {rotated} stored secrets under the first key of MEETBOT_SECRET_KEY")
    if undecryptable:
        from bot import messages

        print(messages.undecryptable_left(undecryptable), file=sys.stderr)
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Apply the schema migrations (every start does too, under the backend's lock) and say where things stand."""
    from bot.stores import open_store

    store = open_store(settings)
    version = store.schema_version()
    store.close()
    print(f"database schema is at version {version}")
    return 0


def cmd_requests(args: argparse.Namespace, settings: Settings) -> int:
    from bot import audit
    from bot.stores import is_postgres, open_store

    since = audit.parse_since(args.since)
    state = audit.parse_state(args.state) if args.state else None
    if not is_postgres(settings) and not os.path.exists(settings.meetbot_db):
        raise StartupError(f"no database at {settings.meetbot_db!r}: set MEETBOT_DB to meetbot's database file")
    store = open_store(settings)
    try:
        if args.key:
            record = store.get_meeting(args.key)
            if record is None:
                print(f"error: no meeting request with key {args.key!r} (pruned after MEETBOT_RETENTION_DAYS?)",
                      file=sys.stderr)
                return 1
            records = [record]
        else:
            records = store.recent_requests(user_id=args.user, since=since, status=state, limit=args.limit)
        show = audit.as_json if args.json else audit.as_text
        for record in records:
            print(show(record, store.history(record.key)))
        if not records and not args.json:
            print("no meeting requests match", file=sys.stderr)
    finally:
        store.close()
    return 0


def _settings() -> Settings:
    """The settings; a variable with a value that can't be used is one line naming it, not a traceback."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        problem = exc.errors()[0]
        name = str(problem["loc"][0]).upper() if problem.get("loc") else "a setting"
        raise StartupError(f"{name}: {problem['msg']}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        settings = _settings()
        return {"parse": cmd_parse, "run": cmd_run, "serve": cmd_serve, "rotate-keys": cmd_rotate_keys,
                "requests": cmd_requests, "migrate": cmd_migrate}[args.command](args, settings)
    except ParseError as exc:
        if getattr(args, "json", False):
            print(json.dumps({"error": exc.hint}, ensure_ascii=False))
        else:
            print(f"error: {exc.hint}", file=sys.stderr)
        return EXIT_USAGE
    except MeetbotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C before the service's own handler is installed (or in `parse -`)
        print(file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
