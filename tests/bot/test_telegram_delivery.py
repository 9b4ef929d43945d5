"""Delivery through the running bot: a message committed by anything else reaches Telegram within a second."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from core.messages import Reply, Span, ToChat, ToUser
from storage.sql_storage import SqlStorage
from tests.bot.conftest import Bot


async def test_a_message_enqueued_by_another_process_is_delivered_within_a_second(bot: Bot) -> None:
    alice = bot.tg.add_user("Alice")
    group = bot.tg.add_group("Founders", members=[alice])
    await bot.said(alice, "/start")
    tenant = str(bot.tg.bot.id)
    outside = SqlStorage(bot.app.settings.database_url)  # what a CLI command or a scheduler would hold
    try:
        async with outside.transaction() as uow:
            now = datetime.now(UTC)
            await uow.outbox.enqueue(ToUser("telegram", tenant, str(alice.id)), [Reply((Span("Directly"),))], now)
            await uow.outbox.enqueue(ToChat("telegram", tenant, str(group.id)), [Reply((Span("To the group"),))], now)
    finally:
        await outside.close()
    direct = await bot.tg.wait_for_message(alice, lambda m: m.plain_text == "Directly", timeout=1.0)
    posted = await bot.tg.wait_for_message(group, lambda m: m.plain_text == "To the group", timeout=1.0)
    assert direct and posted
    for _ in range(100):  # each is marked sent right after Telegram took it
        if not await bot.app.storage.unsent("telegram"):
            break
        await asyncio.sleep(0.01)
    assert await bot.app.storage.unsent("telegram") == []
