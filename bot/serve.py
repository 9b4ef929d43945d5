"""What `cusdev run` starts: every adapter the settings configure, side by side in one runtime."""

from __future__ import annotations

import asyncio
import gc
from datetime import timedelta

from bot.bootstrap import App
from bot.runtime import Adapter, Background, serve
from bot.scheduler import scheduler_for
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
    for adapter in adapters:
        adapter.relay.lease = timedelta(seconds=settings.outbox_lease_seconds)
    return adapters


def settle_heap() -> None:
    """Keep the garbage collector off what lives as long as the process, and let it run less often.

    Everything built so far (modules, scripts, the wired app, the adapters before they connect) is frozen: a full
    collection no longer walks those ~200,000 objects, which paused the event loop for 100-250 ms every few seconds
    under load (a Slack acknowledgement waiting behind it). Frozen objects are never collected, so this is for a
    process that serves until it exits (`cusdev run`), called once, after building what lives that long.
    The youngest generation is collected every 7,000 allocations instead of 700:
    a request's objects are freed by reference counting, the collector only looks for cycles.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(7_000, 10, 10)


async def serve_configured(
    app: App, stop: asyncio.Event | None = None, host: str = "0.0.0.0", settle: bool = False
) -> None:
    """Run every configured adapter, its relay, the scheduler (unless SCHEDULER_ENABLED=false) and the web app
    (health, readiness, metrics and the adapters' endpoints, on PORT) until stopped; `settle` (for `cusdev run`, a
    process of its own) freezes the heap built so far first (settle_heap)."""
    adapters = configured_adapters(app)

    def poke() -> None:
        for adapter in adapters:
            adapter.relay.poke()

    background: list[Background] = []
    if app.settings.scheduler_enabled:
        background.append(scheduler_for(app, poke).run)
    if settle:
        settle_heap()
    await serve(adapters, stop, host=host, port=app.settings.port, background=background, app=app)
