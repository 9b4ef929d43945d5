"""Reminders on Telegram: /remind in the private chat, the nudge delivered by the relay, its button starting a log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.reminders.job import send_due_reminders
from tests.bot.conftest import Bot


async def test_a_telegram_founder_gets_a_nudge_whose_button_starts_a_quick_log(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    on = await bot.said(alice, "/remind at 9:30 Asia/Tokyo")
    assert "Reminders are on: at 09:30 Asia/Tokyo," in on.plain_text
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    morning = datetime.combine(tomorrow, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)  # 10:00 in Tokyo
    assert await send_due_reminders(bot.app.storage, morning) == 1
    nudge = await bot.tg.wait_for_message(alice, after=on, timeout=10)
    assert "0 of 15 interviews this week; 15 to go." in nudge.plain_text
    started = await bot.press(alice, "Log a quick interview")
    assert "Who did you talk to?" in started.plain_text
