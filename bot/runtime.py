"""`cusdev run`: every configured adapter and its delivery relay side by side, one stop, drain and close path."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import uvicorn
from starlette.routing import BaseRoute

from bot.delivery.relay import Relay
from bot.web import create_app

if TYPE_CHECKING:
    from bot.bootstrap import App

log = logging.getLogger(__name__)
SHUTDOWN_SECONDS = 8.5
"""From SIGTERM to the end of the shutdown (orchestrators kill after 10 s; the rest is left for closing the database
and the interpreter's exit): every step takes what is left of it."""
IN_FLIGHT_SECONDS = 3
"""How long requests being handled when the stop came may take to finish (Slack's own acknowledgement budget is 2)."""
CLOSE_SECONDS = 1.0
"""Kept back from the drain for writing sent-marks, giving leases back and closing the platform clients."""


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
    """Run the adapters, their relays, background work and the web app until stopped, then shut down within
    SHUTDOWN_SECONDS (see `shut_down`). With the app, the web app always runs (/healthz, /readyz, /metrics);
    without it, only when an adapter has endpoints."""
    stop = stop or asyncio.Event()
    stop_on_signals(stop)
    started: list[Adapter] = []
    relays: list[asyncio.Task[None]] = []
    others: list[asyncio.Task[None]] = []
    server: QuietServer | None = None
    serving: asyncio.Task[None] | None = None
    try:
        for adapter in adapters:
            await adapter.start()
            started.append(adapter)
        relays = [asyncio.create_task(adapter.relay.run(stop)) for adapter in adapters]
        others = [asyncio.create_task(work(stop)) for work in background]
        routes = [route for adapter in adapters for route in adapter.routes()]
        if routes or app is not None:
            # log_config=None: uvicorn's lines go through the root handler (bot.logs), JSON and redacted like ours
            web = create_app(routes, app)
            config = uvicorn.Config(
                web,
                host=host,
                port=port,
                log_level="warning",
                log_config=None,
                timeout_graceful_shutdown=IN_FLIGHT_SECONDS,
            )
            server = QuietServer(config)
            serving = asyncio.create_task(server.serve())
        await _until_stopped(stop, serving)
    finally:
        stop.set()
        await shut_down(started, relays, others, server, serving)
    if serving is not None and serving.done() and not serving.cancelled() and serving.exception() is not None:
        raise RuntimeError("the web server stopped") from serving.exception()


async def _until_stopped(stop: asyncio.Event, serving: asyncio.Task[None] | None) -> None:
    """Wait for the stop event (or for the web server to end by itself, e.g. when its port is taken)."""
    if serving is None:
        await stop.wait()
        return
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({stopping, serving}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()


async def shut_down(
    started: Sequence[Adapter],
    relays: Sequence[asyncio.Task[None]],
    others: Sequence[asyncio.Task[None]],
    server: QuietServer | None,
    serving: asyncio.Task[None] | None,
) -> None:
    """Stop taking updates, finish the ones in flight, deliver what is queued, flush sent-marks and give back
    leases and the scheduler lock, all within SHUTDOWN_SECONDS of the stop.

    The scheduler saw the stop event too: it gives its lock back at once, while requests still finish.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SHUTDOWN_SECONDS

    def left(reserve: float = 0.0) -> float:
        return max(deadline - loop.time() - reserve, 0.0)

    if server is not None and serving is not None:
        # uvicorn closes its listening socket (new connections are refused, the platform retries elsewhere),
        # closes idle keep-alive connections and waits up to IN_FLIGHT_SECONDS for requests being handled.
        server.should_exit = True
        await _bounded(serving, left(CLOSE_SECONDS), "the web server")
    for adapter in started:
        await _bounded(adapter.stop_intake(), left(CLOSE_SECONDS), "an adapter's intake")
    await _bounded(asyncio.gather(*relays, *others, return_exceptions=True), left(CLOSE_SECONDS), "background work")
    for task in others:
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.error("background work failed", exc_info=task.exception())
    drains = [adapter.relay.drain(timeout=left(CLOSE_SECONDS)) for adapter in started]
    await _bounded(asyncio.gather(*drains), left(), "the relays' drain")
    for adapter in reversed(started):
        await _bounded(adapter.close(), max(left(), 0.2), "an adapter's close")
    log.info("shut down with %.1f s of the %.1f s budget left", left(), SHUTDOWN_SECONDS)


async def _bounded(work: Awaitable[object], seconds: float, what: str) -> None:
    """Await the work for at most `seconds`; past that cancel it and go on with the shutdown (a failure is logged
    and the shutdown goes on too)."""
    try:
        await asyncio.wait_for(work, seconds)
    except TimeoutError:
        log.warning("%s did not finish within the shutdown budget; cancelled", what)
    except Exception:
        log.exception("%s failed while shutting down", what)
