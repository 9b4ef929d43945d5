"""PostgreSQL reads whose statements, asked for at once by several tasks, go to the server in one round trip.

A board is some twenty small statements, each otherwise a round trip of its own (a context switch to the server
and back, a wait on the event loop). Here every statement asked for while a batch is being sent waits for the next
batch; statements asked for together (the parts of a board fetched with asyncio.gather) go in one psycopg pipeline,
and the server runs them back to back. A statement asked for alone runs as it would without a pipeline.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import Executable, Result
from sqlalchemy.engine import IteratorResult
from sqlalchemy.engine.result import SimpleResultMetaData
from sqlalchemy.sql.compiler import SQLCompiler

from storage.driver_read import DriverStatements


@dataclass
class _Asked:
    compiled: SQLCompiler
    sql: str
    bound: dict[str, Any]
    answer: asyncio.Future[Result[Any]]


class PipelinedExecutor:
    """An Executor (storage.executor) over a psycopg AsyncConnection in autocommit mode; `begin`, when given, opens
    the transaction in the first round trip."""

    concurrent = True
    """Callers may run several statements at once (each still sees the one snapshot: a connection is one session)."""

    def __init__(self, connection: AsyncConnection[Any], statements: DriverStatements, begin: str | None) -> None:
        self.connection, self.statements = connection, statements
        self._opening = [begin] if begin else []
        self._asked: list[_Asked] = []
        self._sending: asyncio.Task[None] | None = None

    async def __call__(self, statement: Executable, params: Any = None) -> Result[Any]:
        compiled, sql, bound = self.statements.bind(statement, params)
        asked = _Asked(compiled, sql, bound, asyncio.get_running_loop().create_future())
        self._asked.append(asked)
        if self._sending is None or self._sending.done():
            # Starts once the tasks already runnable have run, so what they ask for now goes in the same batch.
            self._sending = asyncio.create_task(self._send())
        return await asked.answer

    async def _send(self) -> None:
        while self._asked:
            batch, self._asked = self._asked, []
            try:
                results = await self._round_trip(batch)
            except BaseException as error:  # the transaction is lost: every statement of the batch fails with it
                for asked in batch + self._asked:
                    if not asked.answer.done():
                        asked.answer.set_exception(error)
                self._asked = []
                if not isinstance(error, Exception):
                    raise
                return
            for asked, result in zip(batch, results, strict=True):
                if not asked.answer.done():
                    asked.answer.set_result(result)

    async def _round_trip(self, batch: list[_Asked]) -> list[Result[Any]]:
        connection = self.connection
        if len(batch) == 1 and not self._opening:
            cursor = await connection.execute(batch[0].sql, batch[0].bound)
            return [await self._result(batch[0], cursor)]
        async with connection.pipeline():
            if self._opening:
                await connection.execute(self._opening.pop())
            cursors = [await connection.execute(asked.sql, asked.bound) for asked in batch]
        # Leaving the block sent one Sync and received every result: one round trip for the batch.
        return [await self._result(asked, cursor) for asked, cursor in zip(batch, cursors, strict=True)]

    async def _result(self, asked: _Asked, cursor: Any) -> Result[Any]:
        if cursor.description is None:
            return IteratorResult(SimpleResultMetaData([]), iter(()))
        codes = tuple(column.type_code for column in cursor.description)
        metadata = self.statements.shape(asked.compiled, cursor.description, codes)
        return IteratorResult(metadata, iter(await cursor.fetchall()))
