"""What `cusdev run` starts: every adapter the settings configure, side by side in one runtime."""

from __future__ import annotations

import asyncio

from bot.bootstrap import App
from bot.runtime import Adapter, serve
from bot.slack.config import is_configured


def configured_adapters(app: App) -> list[Adapter]:
    """The adapters whose settings are present: Telegram with TELEGRAM_BOT_TOKEN, Slack with its token and secret."""
    adapters: list[Adapter] = []
    settings = app.settings
    if settings.telegram_bot_token:
        from bot.telegram.run import TelegramRunner

        adapters.append(TelegramRunner(app, webhook=settings.telegram_mode == "webhook"))
    if is_configured(settings):
        from bot.slack.run import SlackRunner

        adapters.append(SlackRunner(app))
    return adapters


async def serve_configured(app: App, stop: asyncio.Event | None = None, host: str = "0.0.0.0") -> None:
    """Run every configured adapter, its relay and the web app (when an adapter needs it) until stopped."""
    await serve(configured_adapters(app), stop, host=host, port=app.settings.port)
