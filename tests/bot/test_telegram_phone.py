"""Chat UX on a phone through the real Telegram stack: teammates told, long lists paged by buttons."""

from __future__ import annotations

from tests.bot.conftest import Bot


async def test_the_owner_hears_in_telegram_when_a_cofounder_joins(bot: Bot) -> None:
    alice, boris = bot.tg.add_user("Alice"), bot.tg.add_user("Boris")
    await bot.said(alice, "/start")
    invite = await bot.said(alice, "/invite")
    code = invite.plain_text.split("start=")[1].split()[0]
    welcome = await bot.said(boris, f"/start {code}")
    assert "Welcome to Alice's team" in welcome.plain_text
    told = await bot.tg.wait_for_message(alice, after=invite, timeout=10)
    assert told.plain_text == "Boris joined Alice's team through your invite link. /team shows everyone."
