"""Reminders on Slack: `/cusdev remind` in the DM, the nudge delivered there by the relay, its button starting a log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.reminders.job import send_due_reminders
from tests.slack.conftest import SlackBot


async def test_a_slack_founder_sets_a_reminder_and_the_nudge_starts_a_quick_log(slack_bot: SlackBot) -> None:
    alice = slack_bot.slack.add_person("Alice")
    night = await slack_bot.command(alice, "remind at 23:00")
    assert "I don't send reminders at night" in night.plain
    on = await slack_bot.command(alice, "remind at 18:30 Europe/Moscow")
    assert "Reminders are on: at 18:30 Europe/Moscow," in on.plain and "/cusdev away until DATE" in on.plain
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    evening = datetime.combine(tomorrow, datetime.min.time(), tzinfo=UTC) + timedelta(hours=16)  # 19:00 Moscow
    before = len(slack_bot.dm(alice))
    assert await send_due_reminders(slack_bot.app.storage, evening) == 1
    nudge = await slack_bot.next_in(alice.dm, before)
    assert "0 of 15 interviews this week; 15 to go." in nudge.plain
    started = await slack_bot.press(alice, "Log a quick interview", nudge)
    assert "Who did you talk to?" in started.plain
    assert await send_due_reminders(slack_bot.app.storage, evening + timedelta(minutes=5)) == 0
