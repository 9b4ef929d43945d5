"""The storage adapter: SQLite run inline (no thread hops), PostgreSQL through an async driver."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, Executable, Result, exc, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.messages import reply_from_dict
from core.ports import ExportData, OutboxMessage
from storage import tables as t
from storage.database import is_sqlite, normalize_url, postgres_engine, sqlite_engine
from storage.reads import read_export
from storage.uow import SqlUnitOfWork

# SQLite stores Numeric as text-backed decimals; exactness is kept because values round-trip as strings.
warnings.filterwarnings("ignore", message=".*does \\*not\\* support Decimal objects natively", category=exc.SAWarning)


class SqlStorage:
    """Implements core.ports.Storage for SQLite and PostgreSQL."""

    def __init__(self, url: str, sqlite_synchronous: str = "NORMAL") -> None:
        self.url = normalize_url(url)
        self.dialect = "sqlite" if is_sqlite(self.url) else "postgresql"
        if self.dialect == "sqlite":
            self._sync = sqlite_engine(self.url, sqlite_synchronous)
            # One writer at a time in this process: SQLite serializes writers anyway, and waiting on
            # its file lock from the event-loop thread would block every other conversation.
            self._lock = asyncio.Lock()
        else:
            self._async = postgres_engine(self.url)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlUnitOfWork]:
        """One unit of work; commits when the block exits cleanly, rolls back on error."""
        if self.dialect == "sqlite":
            async with self._lock:
                with self._sync.begin() as connection:
                    yield SqlUnitOfWork(_inline(connection), "sqlite")
        else:
            async with self._async.begin() as async_connection:
                yield SqlUnitOfWork(_awaited(async_connection), "postgresql")

    async def unsent(self, platform: str, limit: int = 100) -> list[OutboxMessage]:
        """Committed replies not yet marked sent, oldest first."""
        statement = (
            select(t.Outbox.id, t.Outbox.platform, t.Outbox.tenant, t.Outbox.chat, t.Outbox.payload)
            .where(t.Outbox.platform == platform, t.Outbox.sent_at.is_(None))  # type: ignore[union-attr]
            .order_by(t.Outbox.id)  # type: ignore[arg-type]
            .limit(limit)
        )
        async with self.transaction() as uow:
            rows = (await uow.execute(statement)).all()
        return [
            OutboxMessage(row.id, (row.platform, row.tenant, row.chat), reply_from_dict(row.payload)) for row in rows
        ]

    async def export_data(self, team_slug: str | None = None) -> ExportData:
        """Teams, interviews and hypotheses for export."""
        async with self.transaction() as uow:
            return await read_export(uow.execute, team_slug)

    async def close(self) -> None:
        """Release connections."""
        if self.dialect == "sqlite":
            self._sync.dispose()
        else:
            await self._async.dispose()


def _inline(connection: Connection) -> Any:
    async def execute(statement: Executable, params: Any = None) -> Result[Any]:
        return connection.execute(statement, params)

    return execute


def _awaited(connection: AsyncConnection) -> Any:
    async def execute(statement: Executable, params: Any = None) -> Result[Any]:
        return await connection.execute(statement, params)

    return execute
