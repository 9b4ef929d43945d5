"""Reads on a connection of their own, outside the write path: the board, and read-only commands whole.

SQLite: a pooled connection in a worker thread, in a deferred (read) transaction. WAL lets it read the last
committed snapshot while the writer holds its lock, and the event loop keeps serving founders meanwhile (sqlite3
releases the GIL while it steps a statement). PostgreSQL: a pooled connection in a REPEATABLE READ, READ ONLY
transaction, so every aggregate of one board sees the same snapshot.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Executable, Result, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.executor import Executor
from storage.uow import SqlUnitOfWork

T = TypeVar("T")


async def sqlite_read(engine: Engine, work: Callable[[SqlUnitOfWork], Coroutine[Any, Any, T]]) -> T:
    """Run read-only work on a read transaction of a pooled SQLite connection, in a worker thread."""
    return await asyncio.to_thread(_sqlite_read, engine, work)


def _sqlite_read(engine: Engine, work: Callable[[SqlUnitOfWork], Coroutine[Any, Any, T]]) -> T:
    with engine.connect() as connection:
        # AUTOCOMMIT keeps the engine's listener from issuing BEGIN IMMEDIATE (the write lock); a plain BEGIN
        # is deferred and becomes a read snapshot at the first SELECT.
        connection.execution_options(isolation_level="AUTOCOMMIT")
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.execute("BEGIN")
        try:
            return run_inline(work(SqlUnitOfWork(inline(connection), "sqlite")))
        finally:
            raw.execute("ROLLBACK")


async def postgres_read(engine: AsyncEngine, work: Callable[[SqlUnitOfWork], Coroutine[Any, Any, T]]) -> T:
    """Run read-only work in a read-only snapshot transaction on a pooled PostgreSQL connection."""
    async with engine.connect() as connection:
        await connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        try:
            return await work(SqlUnitOfWork(_awaited(connection), "postgresql"))
        finally:
            await connection.rollback()


def inline(connection: Connection) -> Executor:
    """An Executor over a synchronous connection: its awaits never suspend (see run_inline)."""

    async def execute(statement: Executable, params: Any = None) -> Result[Any]:
        return connection.execute(statement, params)

    return execute


def _awaited(connection: AsyncConnection) -> Executor:
    async def execute(statement: Executable, params: Any = None) -> Result[Any]:
        return await connection.execute(statement, params)

    return execute


def run_inline(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (its awaits are synchronous underneath) to its result."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("the coroutine suspended: it was not synchronous underneath")
