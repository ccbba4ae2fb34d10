"""`python -m bot` is the same as the `meetbot` console script."""

from bot.cli import main

raise SystemExit(main())
