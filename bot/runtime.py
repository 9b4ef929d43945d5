"""`cusdev run`: every configured adapter and its delivery relay side by side, one stop, drain and close path."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import uvicorn
from starlette.routing import BaseRoute

from bot.delivery.relay import Relay
from bot.web import create_app

if TYPE_CHECKING:
    from bot.bootstrap import App

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10.0
"""On shutdown, how long queued sends may finish; the rest stay in the outbox, their leases given back."""


class Adapter(Protocol):
    """A platform adapter as the runtime drives it."""

    relay: Relay

    def routes(self) -> list[BaseRoute]:
        """The web endpoints it needs (none when it polls)."""

    async def start(self) -> None:
        """Connect, register, and start taking updates."""

    async def stop_intake(self) -> None:
        """Stop taking new updates (in-flight ones finish)."""

    async def close(self) -> None:
        """Release the platform client."""


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: SIGTERM sets our stop event, so sends drain first."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Leave signals to the runtime."""
        yield


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGINT and SIGTERM set the stop event (where signals can be handled: the main thread)."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)


Background = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
"""Work that runs beside the adapters until the stop event is set (the scheduler)."""


async def serve(
    adapters: Sequence[Adapter],
    stop: asyncio.Event | None = None,
    host: str = "0.0.0.0",
    port: int = 8080,
    background: Sequence[Background] = (),
    app: App | None = None,
) -> None:
    """Run the adapters, their relays, background work and the web app until stopped. With the app, the web app
    always runs (/healthz, /readyz, /metrics); without it, only when an adapter has endpoints."""
    stop = stop or asyncio.Event()
    stop_on_signals(stop)
    started: list[Adapter] = []
    try:
        for adapter in adapters:
            await adapter.start()
            started.append(adapter)
        relays = [asyncio.create_task(adapter.relay.run(stop)) for adapter in adapters]
        others = [asyncio.create_task(work(stop)) for work in background]
        routes = [route for adapter in adapters for route in adapter.routes()]
        server = None
        if routes or app is not None:
            # log_config=None: uvicorn's lines go through the root handler (bot.logs), JSON and redacted like ours
            web = create_app(routes, app)
            config = uvicorn.Config(web, host=host, port=port, log_level="warning", log_config=None)
            server = QuietServer(config)
        serving = asyncio.create_task(server.serve()) if server else None
        await stop.wait()
        if server is not None and serving is not None:
            server.should_exit = True
            await serving
        for adapter in started:
            await adapter.stop_intake()
        await asyncio.gather(*relays)
        for failed in await asyncio.gather(*others, return_exceptions=True):
            if isinstance(failed, BaseException):
                log.error("background work failed", exc_info=failed)
        for adapter in started:
            await adapter.relay.drain(timeout=DRAIN_SECONDS)
    finally:
        for adapter in reversed(started):
            try:
                await adapter.close()
            except Exception:
                log.warning("could not close an adapter cleanly", exc_info=True)
