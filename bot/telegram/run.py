"""`cusdev run` for Telegram: long polling until SIGINT/SIGTERM, then a clean drain of pending sends."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

import uvicorn
from telegram import Update

from bot.bootstrap import App
from bot.telegram.adapter import TelegramAdapter

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10.0
FLUSH_SECONDS = 1.0
"""On shutdown, how long pending sends may finish; the rest stay in the outbox for the next start."""


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on the main thread (tests)
            loop.add_signal_handler(signum, stop.set)


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: SIGTERM sets our stop event, so sends drain and marks flush."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave signals to the bot."""
        yield


async def flush_marks(app: App, stop: asyncio.Event) -> None:
    """Write sent-marks when the bot is idle too, so a crash re-sends as little as possible."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), FLUSH_SECONDS)
        try:
            await app.service.flush()
        except Exception:  # the marks stay queued and ride along with the next transaction
            log.warning("could not write sent-marks yet", exc_info=True)


async def run_polling(app: App, stop: asyncio.Event | None = None) -> None:
    """Serve Telegram by long polling (one poller per token) until stopped."""
    token = app.settings.telegram_bot_token
    assert token, "TELEGRAM_BOT_TOKEN is required"
    adapter = TelegramAdapter(
        app.service, app.storage, token, app.settings.telegram_api_base_url, app.settings.telegram_chat_rate
    )
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    application = adapter.application
    async with application:
        await application.bot.delete_webhook()
        await adapter.startup()
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await flush_marks(app, stop)
        await application.updater.stop()
        await adapter.dispatcher.drain(timeout=DRAIN_SECONDS)  # while the HTTP client is still open
        await application.stop()
    await app.service.flush()


async def run_webhook(app: App, stop: asyncio.Event | None = None, host: str = "0.0.0.0") -> None:
    """Serve Telegram through the ASGI app on PORT; Telegram posts updates to PUBLIC_URL/telegram/webhook."""
    from bot.web import TELEGRAM_PATH, create_app

    settings = app.settings
    token, secret, public = settings.telegram_bot_token, settings.telegram_webhook_secret, settings.public_url
    assert token and secret and public, "webhook mode needs TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, PUBLIC_URL"
    adapter = TelegramAdapter(
        app.service, app.storage, token, settings.telegram_api_base_url, settings.telegram_chat_rate
    )
    application = adapter.application

    async def feed(data: dict[str, object]) -> None:
        update = Update.de_json(data, application.bot)
        if update is not None:
            await application.process_update(update)
            if update.update_id in adapter.failed:  # a 500 makes Telegram deliver it again; nothing was saved
                adapter.failed.discard(update.update_id)
                raise RuntimeError(f"update {update.update_id} failed")

    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    server = QuietServer(uvicorn.Config(create_app(feed, secret), host=host, port=settings.port, log_level="warning"))
    async with application:
        await application.bot.set_webhook(
            public.rstrip("/") + TELEGRAM_PATH, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        await adapter.startup()
        await application.start()
        serving = asyncio.create_task(server.serve())
        await flush_marks(app, stop)
        server.should_exit = True
        await serving
        await adapter.dispatcher.drain(timeout=DRAIN_SECONDS)
        await application.stop()
    await app.service.flush()
