"""/readyz: ready when the database answers now and its schema is at the migrations head (or past it: during a
rolling upgrade the old replicas keep serving on the migrated schema, as migrations only add).

The database is asked on every probe (`SELECT 1` through the app's own pool, so a probe sees what a founder's
update would); the schema's revision is read at most every HEAD_TTL seconds (it changes only with `cusdev db
upgrade`, and reading it opens a connection of its own), so a probe every second stays cheap.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
HEAD_TTL = 5.0
TIMEOUT = 3.0
"""Seconds the database may take to answer before the probe says it is unreachable."""
UNREACHABLE = "database unreachable"
BEHIND = "migrations behind: run cusdev db upgrade"


class Readiness:
    """Answers whether this process can serve: None when ready, else the reason."""

    def __init__(
        self,
        ping: Callable[[], Awaitable[None]],
        schema_state: Callable[[], str],
        head_ttl: float = HEAD_TTL,
        timeout: float = TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ping, self.schema_state = ping, schema_state
        self.head_ttl, self.timeout, self.clock = head_ttl, timeout, clock
        self._state: tuple[float, str] | None = None  # (when read, state)
        self._last: str | None = None
        self._state_logged: str | None = None
        self._reading: asyncio.Future[str] | None = None

    async def problem(self) -> str | None:
        """Why the process is not ready, or None."""
        reason = await self._problem()
        if reason != self._last:  # a log line when readiness changes, not one per probe
            if reason:
                log.warning("not ready: %s", reason)
            else:
                log.info("ready")
            self._last = reason
        return reason

    async def _problem(self) -> str | None:
        try:
            await asyncio.wait_for(self.ping(), self.timeout)
            state = await self._schema()
        except Exception:
            log.debug("the database did not answer the readiness probe", exc_info=True)
            return UNREACHABLE
        if state == "unknown":  # a rolling upgrade migrated ahead of this process; migrations only add, so it serves
            if self._state_logged != state:
                log.warning("the database is at a newer migration than this cusdev; serving on (migrations only add)")
            self._state_logged = state
            return None
        self._state_logged = state
        return None if state == "current" else BEHIND

    async def _schema(self) -> str:
        now = self.clock()
        if self._state is None or now - self._state[0] >= self.head_ttl:
            # One read at a time: a read that hangs (a dead network) keeps its worker thread, and probes every few
            # seconds must not pile up threads the rest of the process needs.
            if self._reading is None:
                self._reading = asyncio.ensure_future(asyncio.to_thread(self.schema_state))
            reading = self._reading
            try:
                state = await asyncio.wait_for(asyncio.shield(reading), self.timeout)
            finally:
                if reading.done():  # answered (or failed): the next read after the TTL is a new one
                    self._reading = None
            self._state = (now, state)
        return self._state[1]
