"""Which process runs the scheduler: one leader per deployment.

On PostgreSQL the leader holds a session advisory lock on a connection of its own; if the process dies (or its
connection drops) the database releases the lock and a waiting process takes over. With SQLite one process is
assumed (the database is a local file), so that process leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)
LOCK_KEY = 0x63757364  # "cusd": the scheduler's advisory lock (migrations take another: storage/migrations/env.py)
TIMEOUT = 5.0
"""Seconds a lock query may take: past that the connection counts as dead (a half-open TCP connection would
otherwise block for hours while another process already leads)."""
KEEPALIVE = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
             "keepalives_count": 3, "tcp_user_timeout": 15_000}  # fmt: skip
"""libpq options: a dead server or network is noticed in seconds, on both ends (PostgreSQL then drops the lock)."""


class Leadership(Protocol):
    """A claim to lead, checked while held and given back on the way out."""

    async def acquire(self) -> bool:
        """Take the lead if nobody holds it; True when this process leads now."""

    async def holds(self) -> bool:
        """True while the lead is still this process's (its connection is alive)."""

    async def release(self) -> None:
        """Give the lead back (on shutdown)."""


class OnlyProcess:
    """SQLite: the one process leads."""

    async def acquire(self) -> bool:
        """Always."""
        return True

    async def holds(self) -> bool:
        """Always."""
        return True

    async def release(self) -> None:
        """Nothing to give back."""


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL ("postgresql+psycopg://…") as psycopg's connection string."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class AdvisoryLock:
    """PostgreSQL: leadership is `pg_try_advisory_lock` held on a dedicated connection."""

    def __init__(self, database_url: str, key: int = LOCK_KEY) -> None:
        self.dsn, self.key = libpq_url(database_url), key
        self.conninfo = make_conninfo(self.dsn, **KEEPALIVE)
        self.connection: psycopg.AsyncConnection[tuple[object, ...]] | None = None

    async def acquire(self) -> bool:
        """Try the lock once (never waits for it)."""
        try:
            if self.connection is None or self.connection.closed:
                self.connection = await asyncio.wait_for(
                    psycopg.AsyncConnection.connect(self.conninfo, autocommit=True), TIMEOUT
                )
            row = await asyncio.wait_for(self._fetch("SELECT pg_try_advisory_lock(%s)", self.key), TIMEOUT)
        except (psycopg.Error, OSError, TimeoutError) as exc:
            log.warning("could not ask PostgreSQL for the scheduler lock: %s", exc)
            await self._close()
            return False
        return bool(row and row[0])

    async def holds(self) -> bool:
        """The lock lives as long as its connection: a failed ping means it is gone."""
        if self.connection is None or self.connection.closed:
            return False
        try:
            await asyncio.wait_for(self._fetch("SELECT 1"), TIMEOUT)
        except (psycopg.Error, OSError, TimeoutError) as exc:
            log.warning("lost the scheduler lock's connection: %s", exc)
            await self._close()
            return False
        return True

    async def release(self) -> None:
        """Unlock and close the connection."""
        if self.connection is not None and not self.connection.closed:
            try:
                await asyncio.wait_for(self._fetch("SELECT pg_advisory_unlock(%s)", self.key), TIMEOUT)
            except (psycopg.Error, OSError, TimeoutError) as exc:
                log.info("the scheduler lock went with its connection: %s", exc)
        await self._close()

    async def _fetch(self, query: str, *args: object) -> tuple[object, ...] | None:
        assert self.connection is not None
        cursor = await self.connection.execute(query, args or None)
        return await cursor.fetchone()

    async def _close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(psycopg.Error, OSError, TimeoutError):
                await asyncio.wait_for(connection.close(), TIMEOUT)


def leadership_for(database_url: str) -> Leadership:
    """An advisory lock on PostgreSQL; the only process on SQLite."""
    return AdvisoryLock(database_url) if make_url(database_url).get_backend_name() == "postgresql" else OnlyProcess()
