"""In-process fakes of the services meetbot talks to, served over real HTTP on 127.0.0.1.

Real sockets (not mocks) so the production HTTP clients, retries and serialisation are exercised as-is.
"""

from tests.fakes.slack import Call, FakeSlack

__all__ = ["Call", "FakeSlack"]
