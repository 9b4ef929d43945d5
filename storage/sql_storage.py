"""The storage adapter: SQLite run inline (no thread hops), PostgreSQL through an async driver."""

from __future__ import annotations

import asyncio
import sqlite3
import warnings
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Executable, exc, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from core.app.export_data import ExportData
from core.app.ports import Claim, OutboxMessage, Pruned
from core.board.snapshot import Board
from storage import tables as t
from storage.board_read import postgres_read, sqlite_read
from storage.checkpoint import WalCheckpointer
from storage.database import is_sqlite, normalize_url, postgres_engine, read_only_sqlite_engine, sqlite_engine
from storage.housekeeping import EVENTS, SENT, count_older, delete_in_batches
from storage.prepared import Prepared
from storage.reads import read_export
from storage.statements import hot_statements
from storage.tally_write import prepared_statements as tally_statements
from storage.uow import SqlUnitOfWork

T = TypeVar("T")

# SQLite stores Numeric as text-backed decimals; exactness is kept because values round-trip as strings.
warnings.filterwarnings("ignore", message=".*does \\*not\\* support Decimal objects natively", category=exc.SAWarning)


class SqlStorage:
    """Implements core.app.ports.Storage for SQLite and PostgreSQL."""

    def __init__(self, url: str, sqlite_synchronous: str = "NORMAL", read_only: bool = False) -> None:
        """Storage on a database URL; `read_only` opens an SQLite file for reads alone (it may be on read-only media:
        only `read`, `board`, `export_data` and `team_id` work then)."""
        self.url = normalize_url(url)
        self.dialect = "sqlite" if is_sqlite(self.url) else "postgresql"
        # Sent-marks waiting for a commit: the next transaction to start writes them (see mark_sent).
        self._marks: list[tuple[Sequence[int], datetime, asyncio.Future[None]]] = []
        if self.dialect == "sqlite":
            database = make_url(self.url).database
            on_disk = database not in (None, "", ":memory:")
            self._in_memory = not on_disk
            if read_only and on_disk:
                self._sync = read_only_sqlite_engine(Path(str(database)).expanduser())
            else:
                self._sync = sqlite_engine(self.url, sqlite_synchronous)
            # One writer at a time in this process: SQLite serializes writers anyway, and waiting on
            # its file lock from the event-loop thread would block every other conversation.
            self._lock = asyncio.Lock()
            # One long-lived connection: checking one out of the pool per message costs more than the work.
            self._connection: Connection | None = None
            self._inline = _inline(self)
            self._checkpoints = WalCheckpointer(str(database)) if on_disk and not read_only else None
        else:
            self._async = postgres_engine(self.url)
            self._prepared = {id(s): Prepared(s, "postgresql") for s in fast_statements("postgresql")}

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlUnitOfWork]:
        """One unit of work; commits when the block exits cleanly, rolls back on error."""
        if self.dialect == "sqlite":
            async with self._lock, self._sqlite_transaction() as uow:
                yield uow
        else:
            marks, self._marks = self._marks, []
            try:
                async with self._async.begin() as async_connection:
                    uow = SqlUnitOfWork(_awaited(async_connection, self._prepared), "postgresql")
                    for ids, at, _done in marks:
                        await uow.outbox.mark_sent(ids, at)
                    yield uow
            except BaseException:
                self._marks = marks + self._marks  # not written: the next transaction, or their waiter, tries again
                raise
            _settle(marks)

    @asynccontextmanager
    async def _sqlite_transaction(self) -> AsyncIterator[SqlUnitOfWork]:
        """BEGIN IMMEDIATE ... COMMIT on the one connection (the caller holds the lock); waiting marks go first."""
        fresh = self._connection is None or self._connection.closed
        if fresh:
            # SQLAlchemy is told to autocommit; the transaction is ours, one BEGIN IMMEDIATE per message.
            self._connection = self._sync.connect().execution_options(isolation_level="AUTOCOMMIT")
        assert self._connection is not None
        raw = self._connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        if fresh and self._checkpoints is not None:
            self._checkpoints.adopt(raw)
        raw.execute("BEGIN IMMEDIATE")
        marks, self._marks = self._marks, []
        try:
            uow = SqlUnitOfWork(self._inline, "sqlite")
            for ids, at, _done in marks:
                await uow.outbox.mark_sent(ids, at)
            yield uow
        except BaseException:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            self._marks = marks + self._marks  # not written: the next transaction tries again
            raise
        raw.execute("COMMIT")
        if self._checkpoints is not None:
            self._checkpoints.committed()
        _settle(marks)

    async def unsent(self, platform: str, limit: int = 100) -> list[OutboxMessage]:
        """Committed messages not yet marked sent, oldest first."""
        async with self.transaction() as uow:
            return await uow.outbox.unsent(platform, limit)

    async def claim_unsent(self, platform: str, claim: Claim, now: datetime, limit: int = 100) -> list[OutboxMessage]:
        """Claim unsent messages nobody holds, a chat's queue from its head (see core.app.ports.Storage)."""
        async with self.transaction() as uow:
            return await uow.outbox.claim(platform, claim, now, limit)

    async def renew(self, ids: Sequence[int], claim: Claim) -> None:
        """Extend the lease on messages this relay holds."""
        async with self.transaction() as uow:
            await uow.outbox.renew(ids, claim)

    async def release(self, owner: str, keep: Sequence[int] = ()) -> None:
        """Drop this relay's lease on every unsent message it holds, except `keep` (sent, marks not yet written)."""
        async with self.transaction() as uow:
            await uow.outbox.release(owner, keep)

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        """Mark messages delivered; returns once the marks are committed.

        The marks ride along with the next transaction to start (an update being handled, most often), and take
        one of their own only when none has taken them (on SQLite: by the time the write lock is theirs).
        """
        if not ids:
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiting = (list(ids), at, done)
        self._marks.append(waiting)
        if self.dialect != "sqlite":
            await asyncio.sleep(0)  # the updates already runnable start first; one of them takes the marks
            while not done.done():
                if any(mark is waiting for mark in self._marks):  # nobody took them: write what waits now
                    async with self.transaction():
                        pass
                else:  # carried by a transaction; if it rolls back they are waiting again
                    await asyncio.wait([done], timeout=0.05)
            return
        # SQLite runs inline, so the lock is usually free here; let the updates already waiting to run start
        # their transactions first (one of them takes the marks) rather than commit the marks alone.
        await asyncio.sleep(0)
        while not done.done():
            async with self._lock:
                if self._marks:  # no transaction took them while we waited for the lock: write them now
                    async with self._sqlite_transaction():
                        pass
            await asyncio.sleep(0)  # a failed write leaves them waiting; the next turn tries again

    async def board(self, team_id: int, now: datetime, lang: str) -> Board:
        """The team's board from committed data, on a connection of its own: never waits for the write lock."""
        return await self.read(lambda view: view.teams.board(team_id, now, lang))

    async def read(self, work: Callable[[SqlUnitOfWork], Coroutine[Any, Any, T]]) -> T:
        """Run read-only work on a snapshot of committed data, outside the write lock (see core.app.ports)."""
        if self.dialect == "postgresql":
            return await postgres_read(self._async, work)
        if self._in_memory:  # each connection would be a database of its own
            async with self.transaction() as uow:
                return await work(uow)
        return await sqlite_read(self._sync, work)

    async def export_data(self, team_slug: str | None = None) -> ExportData:
        """Teams, interviews and hypotheses for export, read on a snapshot (never takes the write lock)."""
        return await self.read(lambda view: read_export(view.execute, team_slug))

    async def team_id(self, slug: str) -> int | None:
        """The id of the team with this slug, if there is one."""

        async def find(view: SqlUnitOfWork) -> int | None:
            found: int | None = (
                await view.execute(select(col(t.Team.id)).where(col(t.Team.slug) == slug))
            ).scalar_one_or_none()
            return found

        return await self.read(find)

    async def prune(
        self, events_before: datetime, sent_before: datetime, batch: int | None = None, dry_run: bool = False
    ) -> Pruned:
        """Delete old processed event ids and sent messages, `batch` rows per transaction (see core.app.ports)."""
        if dry_run:

            async def count(view: SqlUnitOfWork) -> Pruned:
                return Pruned(
                    await count_older(view.execute, EVENTS, events_before),
                    await count_older(view.execute, SENT, sent_before),
                )

            return await self.read(count)
        # SQLite runs a batch inline, on the event loop: 1,000 rows (tens of ms) keep every other message's wait short.
        batch = batch or (1000 if self.dialect == "sqlite" else 5000)
        return Pruned(
            await delete_in_batches(self.transaction, EVENTS, events_before, batch),
            await delete_in_batches(self.transaction, SENT, sent_before, batch),
        )

    async def close(self) -> None:
        """Release connections."""
        if self.dialect == "sqlite":
            if self._checkpoints is not None:
                await self._checkpoints.close()
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            self._sync.dispose()
        else:
            await self._async.dispose()


def _settle(marks: Sequence[tuple[Sequence[int], datetime, asyncio.Future[None]]]) -> None:
    """The marks are committed: their waiters go on."""
    for _ids, _at, done in marks:
        if not done.done():
            done.set_result(None)


def fast_statements(dialect: str) -> tuple[Any, ...]:
    """The statements run on the raw driver (storage.prepared): every message's, and the board counts' on a save."""
    return hot_statements(dialect).all() + tally_statements(dialect)


def _inline(storage: SqlStorage) -> Any:
    prepared = {id(statement): Prepared(statement, "sqlite") for statement in fast_statements("sqlite")}

    async def execute(statement: Executable, params: Any = None) -> Any:
        connection = storage._connection
        assert connection is not None
        fast = prepared.get(id(statement))
        if fast is not None:
            return fast.run(connection.connection.driver_connection, params or {})  # type: ignore[arg-type]
        return connection.execute(statement, params)

    return execute


def _awaited(connection: AsyncConnection, prepared: dict[int, Prepared]) -> Any:
    driver: list[Any] = []

    async def execute(statement: Executable, params: Any = None) -> Any:
        fast = prepared.get(id(statement))
        if fast is None:
            return await connection.execute(statement, params)
        if not driver:
            raw = await connection.get_raw_connection()
            driver.append(raw.driver_connection)
        return await fast.run_async(driver[0], params or {})

    return execute
