"""SQLite's WAL checkpoints taken off the event loop: a worker thread copies committed pages into the database file.

By default SQLite checkpoints inside the COMMIT that pushes the WAL past 1,000 pages, so every hundredth or so
founder's answer waited for a few milliseconds of page copying on the event loop (about a third of the time all
commits spent). The writer's own automatic checkpoint is raised to a backstop, and every `every` commits a PASSIVE
checkpoint runs on a connection of its own in a worker thread, while the loop serves founders (sqlite3 releases the
GIL while SQLite works). PASSIVE never blocks the writer or readers. Once a checkpoint has caught up with the last
commit (between bursts of answers, which is most of the time), the next commit starts the WAL over.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3

log = logging.getLogger(__name__)

EVERY = 100
"""Commits between checkpoints: about the 1,000 pages SQLite would wait for, at some ten pages a commit."""
BACKSTOP_PAGES = 4_000
"""The writer checkpoints itself only past this many pages (16 MB at 4 KB): the worker could not finish one, as
under writes without a pause (a checkpoint lets the WAL start over only once it caught up with the last commit)."""


class WalCheckpointer:
    """Counts commits on the one writer connection and checkpoints the WAL in a worker thread now and then."""

    def __init__(self, path: str, every: int = EVERY) -> None:
        self.path, self.every = path, every
        self._commits = 0
        self._running: asyncio.Future[None] | None = None
        self._connection: sqlite3.Connection | None = None

    @staticmethod
    def adopt(writer: sqlite3.Connection) -> None:
        """Leave checkpoints to the worker, keeping SQLite's own as a backstop."""
        writer.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")

    def committed(self) -> None:
        """Note a commit; start a checkpoint when enough have gone by and none is running."""
        self._commits += 1
        if self._commits < self.every or (self._running is not None and not self._running.done()):
            return
        self._commits = 0
        self._running = asyncio.get_running_loop().run_in_executor(None, self._checkpoint)

    def _checkpoint(self) -> None:
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error:  # a busy or vanished file: the next round, or the backstop, checkpoints instead
            log.warning("background WAL checkpoint failed", exc_info=True)

    async def idle(self) -> None:
        """Wait until no checkpoint is running."""
        if self._running is not None:
            await asyncio.wait([self._running])

    async def close(self) -> None:
        """Wait for a running checkpoint and close its connection."""
        await self.idle()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
