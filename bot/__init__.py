"""meetbot: `/meet` in Slack creates a meeting on the user's own provider and posts the join link."""

__version__ = "0.1.0"
