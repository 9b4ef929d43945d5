"""Any SQLAlchemy statement run on the raw driver connection (psycopg, or sqlite3 for reads): what a read costs the
database, not more.

A board is some twenty small statements. Through the async engine each costs about half a millisecond of
SQLAlchemy (cache key, compiled-cache lookup, execution context, events, result metadata, and a greenlet switch
each way), five times the round trip itself. Here each statement is compiled once per shape (SQLAlchemy's own cache
key: literals in a statement become parameters of one compiled form) and its parameters bound as SQLAlchemy binds
them; psycopg runs it and the rows come back as a SQLAlchemy Result with the column types' result processing, so the
repositories cannot tell the difference.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Executable, Result
from sqlalchemy.engine import Dialect, IteratorResult
from sqlalchemy.engine.result import SimpleResultMetaData
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.util import LRUCache

from storage.executor import Executor

_Expansion = tuple[str, Mapping[str, Any], Mapping[str, list[str]]]
"""A statement's SQL with its IN lists rendered, its bind processors, and each list's parameter names."""


class DriverStatements:
    """Compiled statements of one dialect by cache key, and the result shape of each by the column types returned."""

    def __init__(self, dialect: Dialect, size: int = 500) -> None:
        self.dialect = dialect
        self.compiled: LRUCache[Any, Any] = LRUCache(size)
        self.expansions: WeakKeyDictionary[SQLCompiler, dict[tuple[int, ...], _Expansion]] = WeakKeyDictionary()
        self.shapes: WeakKeyDictionary[SQLCompiler, dict[tuple[int, ...], SimpleResultMetaData]] = WeakKeyDictionary()

    def bind(self, statement: Executable, params: Mapping[str, Any] | None) -> tuple[SQLCompiler, str, dict[str, Any]]:
        """The compiled statement, its SQL for these parameters and the parameters as the driver takes them."""
        compiled, extracted, collected, _stats = statement._compile_w_cache(
            self.dialect, compiled_cache=self.compiled, column_keys=[]
        )
        assert isinstance(compiled, SQLCompiler), "only SQL statements run on the driver"
        values: Mapping[str, Any] = compiled.construct_params(
            params or None, extracted_parameters=extracted, escape_names=False, _collected_params=collected
        )
        processors: Mapping[str, Any] = compiled._bind_processors
        sql = compiled.string
        if compiled.literal_execute_params or compiled.post_compile_params:  # IN lists, rendered per call
            sql, processors, values = self._expand(compiled, values)
        escaped = compiled.escaped_bind_names
        bound = {
            escaped.get(name, name): processors[name](value) if name in processors else value
            for name, value in values.items()
        }
        return compiled, sql, bound

    def _expand(
        self, compiled: SQLCompiler, values: Mapping[str, Any]
    ) -> tuple[str, Mapping[str, Any], Mapping[str, Any]]:
        """The SQL with its IN lists rendered for these values; its text depends only on the lists' lengths, so it
        is kept per lengths (when every late parameter is a non-empty list of plain values)."""
        lengths = _lengths(compiled, values)
        known = self.expansions.get(compiled)
        if known is None:
            known = self.expansions[compiled] = {}
        found = None if lengths is None else known.get(lengths)
        if found is None:
            expanded = compiled._process_parameters_for_postcompile(dict(values))
            found = (
                expanded.statement,
                {**compiled._bind_processors, **expanded.processors},
                expanded.parameter_expansion,
            )
            if lengths is not None:
                known[lengths] = found
            return found[0], found[1], expanded.parameters
        sql, processors, expansion = found
        flat = dict(values)
        for name, names in expansion.items():
            flat.update(zip(names, flat.pop(name), strict=True))
        return sql, processors, flat

    def shape(self, compiled: SQLCompiler, description: Any, codes: tuple[Any, ...]) -> SimpleResultMetaData:
        """The result's keys and the result processor of each column, as SQLAlchemy's cursor result has them
        (`codes`: the driver's type code of each column, as the dialect's result processors take them)."""
        known = self.shapes.get(compiled)
        if known is None:
            known = self.shapes[compiled] = {}
        found = known.get(codes)
        if found is None:
            columns = compiled._result_columns
            if len(columns) == len(codes):
                keys = [column.keyname for column in columns]
                processors = [
                    column.type._cached_result_processor(self.dialect, code)
                    for column, code in zip(columns, codes, strict=True)
                ]
            else:  # a textual statement: the driver's names, its own types
                keys = [column[0] for column in description]
                processors = [None] * len(codes)
            found = known[codes] = SimpleResultMetaData(keys, _processors=processors if any(processors) else None)
        return found


def _lengths(compiled: SQLCompiler, values: Mapping[str, Any]) -> tuple[int, ...] | None:
    """The lengths of the statement's IN lists, or None when its late parameters are anything else."""
    if compiled.literal_execute_params:
        return None
    lengths = []
    for parameter in compiled.post_compile_params:
        value = values.get(compiled.bind_names[parameter])
        if not parameter.expanding or not isinstance(value, list | tuple) or not value:
            return None
        if any(isinstance(item, tuple) for item in value):
            return None
        lengths.append(len(value))
    return tuple(lengths)


def sqlite_driver_executor(connection: sqlite3.Connection, statements: DriverStatements) -> Executor:
    """An Executor running every statement on a sqlite3 connection (`statements` of a named-parameter dialect);
    its awaits never suspend (see storage.board_read.run_inline)."""

    async def execute(statement: Executable, params: Any = None) -> Result[Any]:
        compiled, sql, bound = statements.bind(statement, params)
        cursor = connection.execute(sql, bound)
        try:
            if cursor.description is None:
                return IteratorResult(SimpleResultMetaData([]), iter(()))
            metadata = statements.shape(compiled, cursor.description, (None,) * len(cursor.description))
            return IteratorResult(metadata, iter(cursor.fetchall()))
        finally:
            cursor.close()

    return execute
