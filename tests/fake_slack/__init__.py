"""A fake Slack Web API server and signed requests to the app, for end-to-end tests of the Slack adapter."""

from tests.fake_slack.model import Person, Posted, Recorded, Workspace
from tests.fake_slack.server import FakeSlack
from tests.fake_slack.signed import SIGNING_SECRET, SlackClient, signature

__all__ = ["SIGNING_SECRET", "FakeSlack", "Person", "Posted", "Recorded", "SlackClient", "Workspace", "signature"]
