"""The running bot for Telegram end-to-end tests: python-telegram-bot's own HTTP stack against the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.bootstrap import App, build
from bot.settings import Settings
from bot.telegram.run import run_polling
from tests.fake_telegram import FakeTelegramServer, FakeUser, Limits, SentMessage


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@dataclass
class Bot:
    """A running cusdev bot and the fake Telegram it talks to."""

    tg: FakeTelegramServer
    app: App

    async def said(self, user: FakeUser, text: str, after: SentMessage | None = None) -> SentMessage:
        """Type a message; the bot's next reply that ends with a question or note."""
        last = after or self.last(user)
        await self.tg.inject_text(user, text)
        return await self.tg.wait_for_message(user, after=last, timeout=10)

    async def press(self, user: FakeUser, label: str) -> SentMessage:
        """Press a button on the bot's last message; the next message it sends."""
        message = self.tg.last_message(user)
        assert message is not None
        await self.tg.inject_callback(user, message.message_id, button_text=label)
        return await self.tg.wait_for_message(user, after=message, timeout=10)

    def last(self, user: FakeUser) -> SentMessage | None:
        return self.tg.last_message(user)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'bot.db'}",
            telegram_bot_token=tg.token,
            telegram_api_base_url=tg.base_url,
            telegram_chat_rate=100.0,
            _env_file=None,  # type: ignore[call-arg]
        )
        app = build(settings)
        stop = asyncio.Event()
        task = asyncio.create_task(run_polling(app, stop))
        await tg.wait_for_request("getUpdates", timeout=10)
        try:
            yield Bot(tg, app)
        finally:
            stop.set()
            await asyncio.wait_for(task, 15)
            await app.storage.close()
