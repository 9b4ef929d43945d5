"""Telegram in the runtime: long polling, or a webhook on the ASGI app; both deliver through the relay."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.routing import BaseRoute
from telegram import Update

from bot.bootstrap import App
from bot.runtime import serve
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.webhook import TELEGRAM_PATH, webhook_route


class TelegramRunner:
    """The Telegram adapter as the runtime drives it, in polling or webhook mode."""

    def __init__(self, app: App, webhook: bool) -> None:
        settings = app.settings
        token = settings.telegram_bot_token
        assert token, "TELEGRAM_BOT_TOKEN is required"
        self.settings, self.webhook = settings, webhook
        self.adapter = TelegramAdapter(
            app.service,
            app.storage,
            app.clock,
            token,
            settings.telegram_api_base_url,
            settings.telegram_chat_rate,
            app.metrics,
        )
        self.relay = self.adapter.relay
        self.application = self.adapter.application

    def routes(self) -> list[BaseRoute]:
        """The webhook endpoint in webhook mode; nothing when polling."""
        return [webhook_route(self.feed, self.settings.telegram_webhook_secret)] if self.webhook else []

    async def feed(self, data: dict[str, Any]) -> None:
        """Handle one webhook update; raising makes the endpoint answer 500 so Telegram sends it again."""
        update = Update.de_json(data, self.application.bot)
        if update is not None:
            await self.application.process_update(update)
            if update.update_id in self.adapter.failed:  # nothing of it was saved
                self.adapter.failed.discard(update.update_id)
                raise RuntimeError(f"update {update.update_id} failed")

    async def start(self) -> None:
        """Connect, register the menu, queue what a crash left unsent, then take updates."""
        await self.application.initialize()
        bot = self.application.bot
        if self.webhook:
            public, secret = self.settings.public_url, self.settings.telegram_webhook_secret
            assert public and secret, "webhook mode needs PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET"
            await bot.set_webhook(
                public.rstrip("/") + TELEGRAM_PATH, secret_token=secret, allowed_updates=Update.ALL_TYPES
            )
        else:
            await bot.delete_webhook()
        await self.adapter.register_menu()
        # Leftovers first: a chat's new replies queue behind them (the outbox keeps each chat's order).
        self.relay.submit(
            await self.relay.storage.claim_unsent(self.relay.platform, self.relay.claim(), self.relay.clock.now())
        )
        await self.application.start()
        if not self.webhook:
            assert self.application.updater is not None
            await self.application.updater.start_polling(allowed_updates=Update.ALL_TYPES)

    async def stop_intake(self) -> None:
        """Stop polling, then finish the updates already fetched (webhook requests stopped with the web server).

        Telegram counts fetched updates as delivered once polling stops, so they are handled now, while the relay
        still sends their replies; `close` then only releases the client."""
        if self.application.updater is not None and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()  # waits for the handlers running and the updates queued

    async def close(self) -> None:
        """Stop the application and close its HTTP client (after the relay drained)."""
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()


async def run_polling(app: App, stop: asyncio.Event | None = None) -> None:
    """Serve Telegram by long polling (one poller per token) until stopped."""
    await serve([TelegramRunner(app, webhook=False)], stop)


async def run_webhook(app: App, stop: asyncio.Event | None = None, host: str = "0.0.0.0") -> None:
    """Serve Telegram through the ASGI app on PORT; Telegram posts updates to PUBLIC_URL/telegram/webhook."""
    await serve([TelegramRunner(app, webhook=True)], stop, host=host, port=app.settings.port, app=app)
