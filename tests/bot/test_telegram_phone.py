"""Chat UX on a phone through the real Telegram stack: teammates told, long lists paged by buttons."""

from __future__ import annotations

import asyncio

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


async def test_next_turns_the_hypotheses_message_to_the_next_page(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    reply = await bot.said(alice, "/start")
    for n in range(1, 11):
        reply = await bot.said(alice, f"/hypothesis add vp Clinics lose hours re-booking, take {n}", after=reply)
    listing = await bot.said(alice, "/hypotheses", after=reply)
    assert "Page 1 of 2" in listing.plain_text and "take 9" not in listing.plain_text
    await bot.tg.inject_callback(alice, listing.message_id, button_text="Next ›")
    for _ in range(100):
        turned = bot.tg.message(alice, listing.message_id)
        if "Page 2 of 2" in turned.plain_text:
            break
        await asyncio.sleep(0.05)
    assert "Page 2 of 2" in turned.plain_text and "take 9" in turned.plain_text and "take 8" not in turned.plain_text
    assert bot.tg.last_message(alice) == turned  # the same message turned; nothing new was sent


async def test_a_strangers_press_on_a_groups_board_leaves_its_buttons(bot: Bot) -> None:
    alice, zed = bot.tg.add_user("Alice"), bot.tg.add_user("Zed")
    reply = await bot.said(alice, "/start")
    await bot.said(zed, "/start")  # Zed has a team of his own, not the group's
    for n in range(1, 10):
        reply = await bot.said(alice, f"/hypothesis add vp Clinics lose hours re-booking, take {n}", after=reply)
    group = bot.tg.add_group("Founders", members=(alice, zed))
    await bot.tg.inject_command(alice, "digest_here", chat=group)
    linked = await bot.tg.wait_for_message(group, timeout=10)
    await bot.tg.inject_command(alice, "hypotheses", chat=group)
    listing = await bot.tg.wait_for_message(group, after=linked, timeout=10)
    await bot.tg.inject_callback(zed, listing.message_id, chat=group, button_text="Next ›")
    refused = await bot.tg.wait_for_message(group, after=listing, timeout=10)
    assert "only answer members" in refused.plain_text
    board = bot.tg.message(group, listing.message_id)
    assert "Page 1 of 2" in board.plain_text and any(b.get("text") == "Next ›" for b in board.buttons)
