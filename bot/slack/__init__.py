"""Everything that faces Slack: listeners, Block Kit builders, the user directory and the notifier."""
