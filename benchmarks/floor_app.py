"""The floor: the least a Bolt app on meetbot's HTTP stack can do for `/meet` — verify the signature and ack.

Why: meetbot's ack latency means little on its own; divided by this app's, on the same machine, the same
router (`bot.server.make_wsgi_app`) and the same waitress server (`bot.server.create_server`, 16 threads as
`meetbot serve` defaults to), it says what meetbot's own work costs. By default this is bare Bolt
(`process_before_response=False`: the listener runs on Bolt's thread pool and the request thread polls for
the ack every 10 ms); `--process-before-response` runs it the way meetbot runs Bolt, without that poll.

    python benchmarks/floor_app.py --port 3001 --slack-url http://127.0.0.1:PORT/api/
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root: `bot`, `tests`

from slack_bolt import Ack, App  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bot.server import create_server, make_wsgi_app, stop_server  # noqa: E402
from tests.slack_payloads import SIGNING_SECRET  # noqa: E402


def build(slack_url: str, process_before_response: bool) -> App:
    app = App(
        signing_secret=SIGNING_SECRET,
        client=WebClient(token="xoxb-bench", base_url=slack_url),
        token_verification_enabled=False,
        request_verification_enabled=True,
        process_before_response=process_before_response,
        logger=logging.getLogger("floor.bolt"),
    )

    @app.command("/meet")
    def meet(ack: Ack) -> None:
        ack()

    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--slack-url", required=True, help="base URL of the (fake) Slack Web API")
    parser.add_argument("--threads", type=int, default=16, help="waitress threads (meetbot serve's default)")
    parser.add_argument("--process-before-response", action="store_true", help="run Bolt as meetbot does")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    app = build(args.slack_url, args.process_before_response)
    server = create_server(make_wsgi_app(app), host=args.host, port=args.port, threads=args.threads)
    signal.signal(signal.SIGTERM, lambda *_: stop_server(server))
    try:
        server.run()
    except (KeyboardInterrupt, OSError):
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
