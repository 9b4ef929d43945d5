"""`cusdev run` for Telegram: long polling until SIGINT/SIGTERM, then a clean drain of pending sends."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from telegram import Update

from bot.bootstrap import App
from bot.telegram.adapter import TelegramAdapter


async def run_polling(app: App, stop: asyncio.Event | None = None) -> None:
    """Serve Telegram by long polling (one poller per token) until stopped."""
    token = app.settings.telegram_bot_token
    assert token, "TELEGRAM_BOT_TOKEN is required"
    adapter = TelegramAdapter(app.service, app.storage, token, app.settings.telegram_api_base_url)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on the main thread (tests)
            loop.add_signal_handler(signum, stop.set)
    application = adapter.application
    async with application:
        await application.bot.delete_webhook()
        await adapter.startup()
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await stop.wait()
        await application.updater.stop()
        await application.stop()
    await adapter.dispatcher.drain()
    await app.service.flush()
