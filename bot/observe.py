"""One update or event as the operator sees it: its log context, and its time and outcome in the metrics.

An adapter wraps the handling of each update in `observed`; the service, through `ServiceEvents` (core's
ServiceObserver), marks a redelivery and names the team, so the adapter never has to guess either from the
messages it gets back.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from bot.logs import bind, log_context
from bot.metrics import Metrics, Outcome
from core.messages import Incoming

log = logging.getLogger(__name__)


@dataclass
class Observation:
    """The update being handled: its platform and, so far, its outcome."""

    platform: str
    outcome: Outcome = "ok"


_CURRENT: ContextVar[Observation | None] = ContextVar("cusdev_observation", default=None)


@asynccontextmanager
async def observed(metrics: Metrics, platform: str, event: str | None) -> AsyncIterator[Observation]:
    """Handle one update inside: log lines carry its platform and event id; its time and outcome are counted (an
    exception counts as failed and goes on)."""
    observation = Observation(platform)
    token = _CURRENT.set(observation)
    started = time.perf_counter()
    with log_context(platform=platform, event=event, team=None, outbox=None):
        try:
            yield observation
        except BaseException:
            observation.outcome = "failed"
            raise
        finally:
            seconds = time.perf_counter() - started
            metrics.handled(platform, observation.outcome, seconds)
            log.debug("%s update handled: %s in %.1f ms", platform, observation.outcome, seconds * 1000)
            _CURRENT.reset(token)


Listener = TypeVar("Listener", bound=Callable[..., Coroutine[Any, Any, None]])


def observed_listener(platform: str, key: str | None) -> Callable[[Listener], Listener]:
    """Observe a listener method that slack-bolt calls by keyword (bolt reads the argument names of the method this
    wraps, which functools.wraps exposes): its event id is `body[key]`, its metrics the instance's `metrics`."""

    def decorate(listener: Listener) -> Listener:
        @functools.wraps(listener)
        async def observe(self: Any, **kwargs: Any) -> None:
            event = (kwargs.get("body") or {}).get(key) if key else None
            async with observed(self.metrics, platform, event):
                await listener(self, **kwargs)

        return cast(Listener, observe)

    return decorate


def ignored() -> None:
    """The update being handled needs nothing done (an edit, a sticker, chatter in a group)."""
    current = _CURRENT.get()
    if current is not None:
        current.outcome = "ignored"


class ServiceEvents:
    """Implements core.app.observer.ServiceObserver: counts redeliveries, puts the team on log lines."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def duplicate(self, incoming: Incoming) -> None:
        """Count the redelivery, and mark the update being handled as a duplicate."""
        self.metrics.duplicates.labels(incoming.origin.platform).inc()
        current = _CURRENT.get()
        if current is not None:
            current.outcome = "duplicate"
        log.info("duplicate event dropped")

    def team(self, team_id: int) -> None:
        """Later log lines of this update name the team."""
        bind(team=team_id)

    def digest(self, platform: str, kind: str) -> None:
        """Count a digest asked for in chat."""
        self.metrics.digests_sent.labels(platform, kind).inc()
