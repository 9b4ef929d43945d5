"""/metrics after real Slack traffic: signed events through bolt, a redelivery, an event nobody listens for, and a
429 from the Web API."""

from __future__ import annotations

from tests.metrics_support import value
from tests.slack.conftest import SlackBot


async def test_events_a_redelivery_and_a_429_move_the_counters_by_what_happened(slack_bot: SlackBot) -> None:
    alice = await slack_bot.answer_then_redelivered("Anna")
    slack_bot.slack.rate_limit("chat.postMessage", retry_after=1)
    reply = await slack_bot.said(alice, "Dental clinics")
    assert "Describe the pain" in reply.plain
    unknown = {"type": "reaction_added", "user": alice.id, "reaction": "tada"}
    assert (await slack_bot.client.event(alice, unknown)).status_code == 200
    await slack_bot.settled()
    http = slack_bot.client.http
    assert http is not None
    page = (await http.get("/metrics")).text
    assert value(page, "cusdev_updates_handled_total", platform="slack", outcome="ok") == 3
    assert value(page, "cusdev_updates_handled_total", platform="slack", outcome="duplicate") == 1
    assert value(page, "cusdev_updates_handled_total", platform="slack", outcome="failed") == 0
    assert value(page, "cusdev_updates_handled_total", platform="slack", outcome="ignored") == 1  # the reaction
    assert value(page, "cusdev_handler_seconds_count", platform="slack") == 5
    assert value(page, "cusdev_duplicate_events_dropped_total", platform="slack") == 1
    assert value(page, "cusdev_rate_limited_total", platform="slack") == 1
    assert value(page, "cusdev_sends_retried_total", platform="slack", reason="rate_limited") == 1
    assert value(page, "cusdev_updates_handled_total", platform="telegram", outcome="ok") == 0
