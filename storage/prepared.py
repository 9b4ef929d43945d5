"""The fast path: the per-message statements compiled once and run on the raw driver connection.

SQLAlchemy's per-execute work (cache key, compiled-cache lookup, events, result setup, and on asyncio a
greenlet switch) costs several times what the database spends on these tiny statements. The statements stay
defined once, as SQLAlchemy Core in storage.statements; only their execution skips the machinery, inside the same
transaction SQLAlchemy's connection holds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import JSON, ClauseElement, Select
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler


class RawResult:
    """The slice of SQLAlchemy's Result API the repositories use, over plain tuples."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def first(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None

    def scalar_one(self) -> Any:
        if len(self.rows) != 1:
            raise LookupError(f"expected one row, got {len(self.rows)}")
        return self.rows[0][0]

    def scalar_one_or_none(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def all(self) -> list[tuple[Any, ...]]:
        return self.rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)


DIALECTS: dict[str, Dialect] = {
    "sqlite": sqlite.dialect(paramstyle="named"),
    "postgresql": pg_psycopg.dialect(),  # type: ignore[no-untyped-call]  # SQLAlchemy leaves this __init__ unannotated
}


class Prepared:
    """One statement compiled for a dialect with named parameters, plus the type processors of its binds."""

    def __init__(self, statement: ClauseElement, dialect_name: str) -> None:
        self.dialect = DIALECTS[dialect_name]
        compiled = statement.compile(dialect=self.dialect)
        assert isinstance(compiled, SQLCompiler), "only SQL statements are prepared"
        self.sql = str(compiled)
        self.processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            processor: Callable[[Any], Any] | None = bind.type.bind_processor(self.dialect)
            if dialect_name == "postgresql" and isinstance(bind.type, JSON):
                processor = Json  # SQLAlchemy adapts JSON per connection; on the raw connection we wrap it
            if processor is not None:
                self.processors[name] = processor
        self.defaults = {name: bind.value for name, bind in compiled.binds.items() if not name.startswith("p_")}
        # What SQLAlchemy would do to each column read (SQLite hands back text for times, JSON and decimals;
        # psycopg adapts them itself, as SQLAlchemy's psycopg dialect relies on).
        self.columns: list[Callable[[Any], Any] | None] = []
        if dialect_name == "sqlite" and isinstance(statement, Select):
            self.columns = [
                column.type.dialect_impl(self.dialect).result_processor(self.dialect, None)
                for column in statement.selected_columns
            ]
        if not any(self.columns):
            self.columns = []

    def _bind(self, params: Mapping[str, Any]) -> dict[str, Any]:
        values = {**self.defaults, **params}
        for name, processor in self.processors.items():
            if name in values:
                values[name] = processor(values[name])
        return values

    async def run_async(self, connection: Any, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> RawResult:
        """Execute on a psycopg AsyncConnection."""
        if isinstance(params, Mapping):
            cursor = await connection.execute(self.sql, self._bind(params))
            rows = await cursor.fetchall() if cursor.description else []
            return RawResult([tuple(row) for row in rows])
        async with connection.cursor() as cursor:
            await cursor.executemany(self.sql, [self._bind(p) for p in params])
        return RawResult([])

    def _typed(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(value if read is None else read(value) for read, value in zip(self.columns, row, strict=True))

    def run(self, connection: sqlite3.Connection, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> RawResult:
        """Execute once, or once per parameter set for a sequence."""
        if isinstance(params, Mapping):
            cursor = connection.execute(self.sql, self._bind(params))
            rows = cursor.fetchall() if cursor.description else []
            cursor.close()
            if self.columns:
                rows = [self._typed(row) for row in rows]
            return RawResult(rows)
        connection.executemany(self.sql, [self._bind(p) for p in params])
        return RawResult([])
