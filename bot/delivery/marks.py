"""Sent-marks written durably right after each send, many sends sharing one commit (group commit)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from core.app.ports import Storage

log = logging.getLogger(__name__)
MAX_BACKOFF = 5.0


class SentMarks:
    """Writes sent-marks as soon as messages are sent; `mark` returns once the mark is committed.

    Marks that arrive while a commit runs go into the next one, so a burst costs a few transactions, and
    after a kill -9 only messages whose send finished during the last, unfinished commit are sent again.
    """

    def __init__(self, storage: Storage, now: Callable[[], datetime]) -> None:
        self.storage, self.now = storage, now
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def mark(self, message_id: int) -> None:
        """Record one message as sent; returns when that is durable."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((message_id, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await asyncio.shield(future)

    async def _write(self) -> None:
        failures = 0
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self.storage.mark_sent([message_id for message_id, _f in batch], self.now())
            except Exception:  # the database is busy or away: keep the marks and try again
                failures += 1
                log.warning("could not write %d sent-marks yet (attempt %d)", len(batch), failures, exc_info=True)
                self._waiting = batch + self._waiting
                await asyncio.sleep(min(0.05 * 2**failures, MAX_BACKOFF))
                continue
            failures = 0
            for _message_id, future in batch:
                if not future.done():
                    future.set_result(None)

    async def close(self) -> None:
        """Finish writing what is waiting."""
        if self._writer is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
