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
from weakref import WeakKeyDictionary

from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, Executable, Result
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.driver_read import DriverStatements, sqlite_driver_executor
from storage.executor import Executor
from storage.pipelined import PipelinedExecutor
from storage.prepared import DIALECTS
from storage.uow import SqlUnitOfWork

T = TypeVar("T")

_BEGIN_READ = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
_STATEMENTS: WeakKeyDictionary[Dialect, DriverStatements] = WeakKeyDictionary()
"""Statements compiled for the driver, per engine dialect."""
_SQLITE_STATEMENTS = DriverStatements(DIALECTS["sqlite"])
"""Statements compiled for sqlite3 with named parameters (the engine's own dialect uses positional ones)."""


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
            return run_inline(work(SqlUnitOfWork(sqlite_driver_executor(raw, _SQLITE_STATEMENTS), "sqlite")))
        finally:
            raw.execute("ROLLBACK")


async def postgres_read(engine: AsyncEngine, work: Callable[[SqlUnitOfWork], Coroutine[Any, Any, T]]) -> T:
    """Run read-only work in a read-only snapshot transaction on a pooled PostgreSQL connection.

    The statements run on the psycopg connection itself (storage.driver_read), those asked for at once in one round
    trip (storage.pipelined), in a transaction of our own: autocommit keeps psycopg from sending a BEGIN of its own;
    ours sets the snapshot's isolation and goes in one round trip with the first statements.
    """
    statements = _STATEMENTS.get(engine.dialect)
    if statements is None:
        statements = _STATEMENTS[engine.dialect] = DriverStatements(engine.dialect)
    async with engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        assert isinstance(driver, AsyncConnection)
        await driver.set_autocommit(True)
        try:
            try:
                return await work(SqlUnitOfWork(PipelinedExecutor(driver, statements, _BEGIN_READ), "postgresql"))
            finally:
                if driver.info.transaction_status != TransactionStatus.IDLE:  # begun with the first statement
                    await driver.execute("ROLLBACK")
                await driver.set_autocommit(False)
        except BaseException:
            if driver.autocommit or driver.info.transaction_status != TransactionStatus.IDLE:
                await connection.invalidate()  # not back to how the pool lent it: never lend it again
            raise


def inline(connection: Connection) -> Executor:
    """An Executor over a synchronous connection: its awaits never suspend (see run_inline)."""

    async def execute(statement: Executable, params: Any = None) -> Result[Any]:
        return connection.execute(statement, params)

    return execute


def run_inline(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (its awaits are synchronous underneath) to its result."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("the coroutine suspended: it was not synchronous underneath")
