"""PostgreSQL reads asked for at once share one round trip (counted in libpq's own protocol trace)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import bindparam, literal_column, select, text

from core.board.snapshot import Board
from storage.database import postgres_engine
from storage.driver_read import DriverStatements
from storage.pipelined import PipelinedExecutor
from storage.sql_storage import SqlStorage
from tests.board_reference import reference_board
from tests.conftest import TABLES
from tests.storage.test_board_query import NOW, assert_same, seed


class Traced:
    """A psycopg connection whose frontend messages libpq writes to a file: each Sync or simple Query is one round
    trip to the server."""

    def __init__(self, connection: psycopg.AsyncConnection[Any], path: Path, url: str = "") -> None:
        self.connection, self.path, self.url = connection, path, url
        self._file = path.open("w")
        connection.pgconn.trace(self._file.fileno())
        connection.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)

    def round_trips(self) -> int:
        self._file.flush()
        lines = self.path.read_text().splitlines()
        return sum(1 for line in lines if line.startswith("F\t") and line.split("\t")[2] in ("Sync", "Query"))


@pytest.fixture
async def traced(postgres_database: str, tmp_path: Path) -> AsyncIterator[Traced]:
    connection = await psycopg.AsyncConnection.connect(postgres_database, autocommit=True)
    yield Traced(connection, tmp_path / "libpq.trace", postgres_database)
    connection.pgconn.untrace()
    await connection.close()


def _executor(traced: Traced, begin: str | None = None) -> PipelinedExecutor:
    return PipelinedExecutor(traced.connection, DriverStatements(postgres_engine(traced.url).dialect), begin)


def _number(n: int) -> Any:
    return select(literal_column(str(n)).label("n"), bindparam("p_word").label("word"))


async def test_statements_asked_for_together_share_one_round_trip(traced: Traced) -> None:
    execute = _executor(traced, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    results = await asyncio.gather(*(execute(_number(n), {"p_word": f"w{n}"}) for n in range(8)))
    assert [tuple(result.one()) for result in results] == [(n, f"w{n}") for n in range(8)]
    assert traced.round_trips() == 1  # the BEGIN and all eight statements
    await traced.connection.execute("ROLLBACK")


async def test_a_statement_asked_for_alone_costs_one_round_trip_as_before(traced: Traced) -> None:
    execute = _executor(traced)
    for n in range(3):
        assert (await execute(_number(n), {"p_word": "x"})).one() == (n, "x")
    assert traced.round_trips() == 3


async def test_what_is_asked_while_a_batch_travels_goes_in_the_next(traced: Traced) -> None:
    execute = _executor(traced)

    async def two_steps(n: int) -> tuple[Any, ...]:
        first = (await execute(_number(n), {"p_word": "a"})).one()
        second = (await execute(_number(first[0] + 100), {"p_word": "b"})).one()
        return tuple(second)

    assert await asyncio.gather(*(two_steps(n) for n in range(5))) == [(n + 100, "b") for n in range(5)]
    assert traced.round_trips() == 2


async def test_a_failing_statement_fails_every_reader_of_its_batch(traced: Traced) -> None:
    execute = _executor(traced, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    good = execute(_number(1), {"p_word": "ok"})
    bad = execute(text("SELECT 1 / 0"))
    results = await asyncio.gather(good, bad, return_exceptions=True)
    assert all(isinstance(result, psycopg.Error) for result in results), results
    await traced.connection.execute("ROLLBACK")
    assert (await (await traced.connection.execute("SELECT 2")).fetchone()) == (2,)  # the connection is usable


async def test_a_board_on_postgresql_takes_a_few_round_trips_not_one_per_statement(
    postgres_database: str, tmp_path: Path
) -> None:
    with psycopg.connect(postgres_database, autocommit=True) as connection:
        connection.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    storage = SqlStorage(postgres_database)
    acme, _globex = await seed(storage)

    async def traced_board(view: Any) -> tuple[Board, int]:
        trace = Traced(view.execute.connection, tmp_path / "board.trace")
        board = await view.teams.board(acme, NOW, "en")
        view.execute.connection.pgconn.untrace()
        return board, trace.round_trips()

    try:
        board, round_trips = await storage.read(traced_board)
        async with storage.transaction() as uow:  # one statement at a time, through SQLAlchemy
            assert_same(board, await reference_board(uow, acme, NOW, "en"))
    finally:
        await storage.close()
    # Some twenty-five statements, one round trip each before; now the parts that need nothing
    # else go together (their follow-ups in the next batch), and the rest, which depend on what came back, one by one.
    assert round_trips <= 9


async def test_every_part_a_board_prefetches_is_one_the_board_reads(postgres_database: str) -> None:
    """prefetch lists read_board's reads with their arguments: if the two drift apart, this fails (not just slows)."""
    with psycopg.connect(postgres_database, autocommit=True) as connection:
        connection.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    storage = SqlStorage(postgres_database)
    acme, _globex = await seed(storage)

    async def prefetched(view: Any) -> int:
        source = view.teams.board_source
        await source.prefetch(acme)
        return len(source._fetched)

    async def left_unread(view: Any) -> list[Any]:
        source = view.teams.board_source
        await view.teams.board(acme, NOW, "en")
        return list(source._fetched)

    try:
        fetched = await storage.read(prefetched)
        unused = await storage.read(left_unread)
    finally:
        await storage.close()
    assert fetched >= 12  # ten parts, merges and the three top lists
    assert unused == []
