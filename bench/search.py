"""Benchmark: `/search` over one team of 100k interviews, on SQLite and PostgreSQL.

The team is seeded as bench/board.py seeds it (bulk inserts of interviews, items, prices, commitments, evidence),
plus one free-text answer per completed interview drawn from English and Russian sentences. The index is then
built the way migration 0014 builds it (storage.search_index.backfill). Each of 30 queries (common and rare words,
several words, Russian, typed operators, words nobody said) runs once after a warm-up round, as the chat runs it:
a page of five hits and the count of the rest (storage.read, on a connection of its own). Prints p50/p99/max.
Run: `python bench/search.py` or `python bench/search.py --size 20000`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert, select

from bench.board import CHUNK, create_team, rows_for
from bench.throwaway_db import POSTGRES, analyze, each_database
from core.board.search import InterviewQuery, search_terms
from core.board.search_commands import PAGE_SIZE
from storage import tables as t
from storage.search_index import backfill
from storage.sql_storage import SqlStorage

SENTENCES = [
    "They book appointments by phone and lose track of no-shows",
    "Invoices go out late because reporting is manual",
    "The receptionist rebooks cancelled slots by hand every morning",
    "Пациенты забывают про запись и не приходят",
    "Клиенты записываются через WhatsApp, администратор всё переносит в тетрадь",
    "Счета выставляем в конце месяца, оплаты приходят с опозданием",
    "We tried three scheduling tools and dropped them all",
    "Owner spends Sunday evenings on payroll spreadsheets",
]
QUERIES = [
    "booking", "bookings", "invoices", "late invoices", "no-shows", "reporting manual", "payroll", "spreadsheets",
    "Pain number 7", "pain number 250", "Something only they said", "Person 99999", "dental clinics", "agencies",
    "записи", "запись", "клиенты", "оплаты опозданием", "WhatsApp", "тетрадь",
    '"AND" NEAR *', "booking -invoices", "quote 12345", "happy patients", "predictable cash", "fewer emails",
    "unicorn", "zebra crossing", "🙂 booking!", "рассрочка",
]  # fmt: skip


def seed(engine: Engine, team_id: int, members: list[int], count: int) -> float:
    """Bulk-insert `count` interviews (bench/board.py's rows) with one free-text answer each; the seconds taken."""
    began = time.perf_counter()
    rng = random.Random(14)
    at = datetime(2026, 11, 22, tzinfo=UTC)
    for offset in range(0, count, CHUNK):
        size = min(CHUNK, count - offset)
        rows = rows_for(team_id, members, offset, size, seed=offset)
        answers = [
            {
                "interview_id": row["id"],
                "question_id": "context",
                "value": " ".join(rng.sample(SENTENCES, 2)),
                "flags": [],
                "updated_at": at,
            }
            for row in rows[t.Interview]
            if row["status"] == "completed"
        ]
        with engine.begin() as connection:
            for table, values in rows.items():
                if values:
                    connection.execute(insert(table), values)
            connection.execute(insert(t.Answer), answers)
    return time.perf_counter() - began


def build_index(engine: Engine) -> tuple[float, int]:
    """Index every completed interview as migration 0014 does; the seconds taken and how many were indexed."""
    began = time.perf_counter()
    with engine.begin() as connection:
        indexed = backfill(connection, engine.dialect.name)
    analyze(engine)
    return time.perf_counter() - began, indexed


async def measure(url: str, team_id: int) -> list[tuple[str, float, int, int]]:
    """Each query's milliseconds, hits on the page and how many more, after one warm-up round."""
    storage = SqlStorage(url)

    async def one(typed: str) -> tuple[float, int, int]:
        query = InterviewQuery(search_terms(typed))
        began = time.perf_counter()
        found: Any = await storage.read(lambda uow: uow.teams.find_interviews(team_id, query, PAGE_SIZE))
        return (time.perf_counter() - began) * 1000, len(found.hits), found.more

    try:
        for typed in QUERIES:
            await one(typed)
        return [(typed, *await one(typed)) for typed in QUERIES]
    finally:
        await storage.close()


def run(name: str, url: str, engine: Engine, size: int) -> tuple[float, float, float]:
    """Seed, index and time the queries on one database; prints the slowest queries; p50, p99 and max."""
    team_id, members = create_team(engine)
    seeded = seed(engine, team_id, members, size)
    indexing, indexed = build_index(engine)
    with engine.connect() as connection:
        total = len(connection.execute(select(t.Interview.id)).all())  # type: ignore[call-overload]
    print(
        f"{name}: {total} interviews seeded in {seeded:.1f}s, {indexed} completed ones indexed in {indexing:.1f}s",
        flush=True,
    )
    timings = asyncio.run(measure(url, team_id))
    for typed, ms, hits, more in sorted(timings, key=lambda row: -row[1])[:5]:
        print(f"  slowest: {ms:7.1f} ms  {typed!r:<28} {hits} shown, {more} more")
    times = sorted(ms for _typed, ms, _hits, _more in timings)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], times[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000, help="interviews in the team")
    parser.add_argument("--postgres", default=POSTGRES, help="PostgreSQL server for a throw-away database")
    parser.add_argument("--databases", default="sqlite,postgresql", help="which databases to time")
    args = parser.parse_args()
    print(f"search, one team of {args.size} interviews, {len(QUERIES)} queries; cores: {os.cpu_count()}")
    results: list[tuple[str, tuple[float, float, float]]] = []
    which = tuple(args.databases.split(","))
    for name, url, engine in each_database(args.postgres, "search.db", which):
        results.append((name, run(name, url, engine, args.size)))
    print()
    print(f"{'database':<11} {'interviews':>10} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  target: under 50 ms")
    for name, (p50, p99, worst) in results:
        print(f"{name:<11} {args.size:>10} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f}")


if __name__ == "__main__":
    main()
