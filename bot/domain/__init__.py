"""The domain core: what a meeting request is, the states it moves through, and how it is scheduled.

Nothing here imports Slack, HTTP or a database: the scheduler talks to the store, the providers and the
Slack side through the Protocols in `bot.domain.ports`, so it can be tested with in-process fakes.
"""
