"""Socket Mode: the same app over a WebSocket; every envelope acknowledged, a redelivered event applied once."""

from __future__ import annotations

import time

from tests.slack.conftest import SlackBot


def dm_event(team: str, user: str, channel: str, text: str, event_id: str) -> dict[str, object]:
    ts = f"{time.time():.6f}"
    event = {"type": "message", "channel_type": "im", "channel": channel, "user": user, "text": text, "ts": ts}
    return {"team_id": team, "api_app_id": "A1", "type": "event_callback", "event_id": event_id, "event": event}


async def test_events_and_commands_over_socket_mode(socket_bot: SlackBot) -> None:
    slack = socket_bot.slack
    alice = slack.add_person("Alice")
    assert socket_bot.runner.routes() == [], "no public endpoint in Socket Mode"
    command = {
        "team_id": "T1",
        "channel_id": alice.dm,
        "user_id": alice.id,
        "command": "/cusdev",
        "text": "interview quick",
        "trigger_id": "trig.socket.1",
    }
    envelope = await slack.socket.push("slash_commands", command)
    await slack.socket.acked(envelope)
    first = await socket_bot.next_in(alice.dm, 0)
    assert "Who did you talk to?" in first.plain
    pushed = dm_event("T1", alice.id, alice.dm, "Anna", "EvSOCKET")
    await slack.socket.acked(await slack.socket.push("events_api", pushed))
    second = await socket_bot.next_in(alice.dm, 1)
    assert "Which customer segment" in second.plain
    # Slack redelivers an unacknowledged envelope with a new envelope id and no retry headers.
    await slack.socket.acked(await slack.socket.push("events_api", pushed))
    await socket_bot.settled()
    assert len(socket_bot.dm(alice)) == 2
    assert (await socket_bot.app.storage.export_data()).interviews[0].answers == {"alias": "Anna"}
