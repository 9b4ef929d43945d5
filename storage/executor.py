"""The seam every repository runs on: one statement at a time on the open transaction, and stored times as UTC.

It imports nothing from the repositories, so any of them (and the unit of work that gathers them) can import it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Executable, Result
from sqlalchemy.dialects import postgresql, sqlite

Rows = Result[*tuple[Any, ...]]
"""What a statement returns: rows of any width."""


class Executor(Protocol):
    """Runs one statement: inline on SQLite, awaited on PostgreSQL."""

    async def __call__(self, statement: Executable, params: Any = None) -> Rows: ...


class SqlRepository:
    """A repository over one open transaction: its statements run through `execute` in the given dialect."""

    def __init__(self, execute: Executor, dialect: str) -> None:
        self.execute = execute
        self.dialect = dialect
        self.insert = insert_for(dialect)


def insert_for(dialect: str) -> Any:
    """The dialect's INSERT (it has ON CONFLICT on both SQLite and PostgreSQL)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def utc(value: datetime) -> datetime:
    """A datetime as stored: UTC (a naive value is taken to be UTC already)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def all_finished(*reads: Awaitable[Any]) -> list[Any]:
    """Await reads side by side; every one has finished (none still uses the connection) before an error is raised."""
    results = await asyncio.gather(*reads, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results
