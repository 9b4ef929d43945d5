"""Benchmark: how the board query scales with a team's interviews (1k, 10k, 100k), on SQLite and PostgreSQL.

One team gets realistic interviews, seeded with bulk inserts: five founders over a year, segments typed several
ways, pains with severities from a vocabulary with a long tail, jobs, gains, price answers, commitments and
evidence on a dozen hypotheses, and one item merge. The board's counts are then rebuilt for the team
(storage.tally_write.rebuild: what uow.interviews.complete keeps one interview at a time). Prints p50/p95 of
`storage.board(...)` (its own connection, outside the write lock) and, for the smaller sizes, of the old way (every
interview read into Python, `tests/board_reference.py`).
Run: `python bench/board.py` or `python bench/board.py --sizes 1000,10000 --runs 30`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert

from bench.throwaway_db import POSTGRES, analyze, each_database
from core.analytics.items import normalize_item
from storage import tables as t
from storage.board_read import inline, run_inline
from storage.sql_storage import SqlStorage
from storage.tally import digest
from storage.tally_write import rebuild
from tests.board_reference import reference_board

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
FOUNDERS = ["Ann", "Bob", "Chen", "Dana", "Eli"]
SEGMENTS = ["Dental clinics", "dental clinics", "Dental clinics.", "Agencies", "agencies", "Freelancers", "Cafés", None]
COMMON_PAINS = [
    "Late invoices",
    "late invoices.",
    "Slow payments",
    "Manual reporting",
    "No-shows",
    "Re-booking by hand",
]
JOBS = ["Get paid on time", "Fill the diary", "Report to the boss", "Keep patients happy", "Plan the week"]
GAINS = ["Fewer emails", "More free evenings", "Happy patients", "Predictable cash", "Less admin"]
PRICES = [Decimal(v) for v in ("5", "10", "15", "20", "25", "30", "40", "50", "60", "80", "100", "150")]
CHUNK = 5000


def pain_text(rng: random.Random) -> str:
    """A pain: a few common ones, a tail of 300 rarer ones, and now and then one nobody else named."""
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(COMMON_PAINS)
    if roll < 0.95:
        return f"Pain number {int(rng.paretovariate(1.2)) % 300}"
    return f"Something only they said {rng.randrange(10**9)}"


def rows_for(team_id: int, members: list[int], start: int, count: int, seed: int) -> dict[Any, list[dict[str, Any]]]:
    """Rows of every table for `count` interviews, ids from `start`."""
    rng = random.Random(seed)
    rows: dict[Any, list[dict[str, Any]]] = {table: [] for table in (t.Interview, t.Item, t.PriceAnswer, t.Commitment)}
    rows[t.Evidence] = []
    keys: dict[str, tuple[str, str]] = {}
    for n in range(start, start + count):
        interview_id = f"bench-{n:07d}"
        started = NOW - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        completed = rng.random() < 0.9
        rows[t.Interview].append(
            {
                "id": interview_id,
                "team_id": team_id,
                "member_id": rng.choice(members),
                "script": rng.choice(["discovery", "discovery", "validation", "quick"]),
                "script_version": 1,
                "lang": "en",
                "status": "completed" if completed else rng.choice(["in_progress", "cancelled"]),
                "started_at": started,
                "completed_at": started + timedelta(minutes=45) if completed else None,
                "alias": f"Person {n}",
                "segment": rng.choice(SEGMENTS),
                "sean_ellis": rng.choice([None, "very", "somewhat", "not"]) if completed else None,
            }
        )
        if not completed:
            continue
        items = [("pain", pain_text(rng), rng.choice([None, 2, 3, 4, 5])) for _ in range(rng.randrange(1, 4))]
        items += [("job", rng.choice(JOBS), None) for _ in range(rng.randrange(0, 3))]
        items += [("gain", rng.choice(GAINS), None) for _ in range(rng.randrange(0, 3))]
        for position, (kind, text, severity) in enumerate(items):
            if text not in keys:
                key = normalize_item(text)
                keys[text] = (key, digest(key))
            key, hashed = keys[text]
            rows[t.Item].append(
                {
                    "interview_id": interview_id,
                    "team_id": team_id,
                    "kind": kind,
                    "position": position,
                    "text": text,
                    "norm_key": key,
                    "key_hash": hashed,
                    "severity": severity,
                }
            )
        if rng.random() < 0.4:
            cheap, bargain, expensive, too = sorted(rng.sample(PRICES, 4))
            rows[t.PriceAnswer].append(
                {
                    "interview_id": interview_id,
                    "spends_now": None,
                    "too_cheap": cheap,
                    "bargain": bargain,
                    "getting_expensive": expensive,
                    "too_expensive": too,
                    "currency": rng.choice(["EUR", "USD"]),
                }
            )
        for kind in rng.sample(["time", "reputation", "money"], rng.choice([0, 0, 1, 2])):
            amount = rng.choice([Decimal(100), Decimal(500), Decimal("49.99")]) if kind == "money" else None
            rows[t.Commitment].append({"interview_id": interview_id, "kind": kind, "amount": amount, "currency": "EUR"})
        for code in rng.sample(range(1, 13), rng.randrange(0, 3)):
            rows[t.Evidence].append(
                {
                    "interview_id": interview_id,
                    "team_id": team_id,
                    "happened_at": started + timedelta(minutes=45),
                    "alias": f"Person {n}",
                    "hypothesis_id": code,
                    "hypothesis_code": f"H{code}",
                    "stance": rng.choice(["supports", "supports", "refutes"]),
                    "strength": rng.choice(["weak", "medium", "strong"]),
                    "quote": f"quote {n}",
                }
            )
    return rows


def create_team(engine: Engine) -> tuple[int, list[int]]:
    """The team, its founders and twelve hypotheses."""
    with engine.begin() as connection:
        team_id = connection.execute(
            insert(t.Team)
            .values(slug="bench", name="Bench", created_at=NOW, timezone="Europe/Berlin")
            .returning(t.Team.id)  # type: ignore[arg-type]
        ).scalar_one()
        members = [
            connection.execute(
                insert(t.Member)
                .values(team_id=team_id, platform="bench", user_key=name, display_name=name, created_at=NOW)
                .returning(t.Member.id)  # type: ignore[arg-type]
            ).scalar_one()
            for name in FOUNDERS
        ]
        for number in range(1, 13):
            connection.execute(
                insert(t.Hypothesis).values(
                    id=number, team_id=team_id, code=f"H{number}", number=number, statement=f"Hypothesis {number}",
                    block=["value_propositions", "customer_segments", "revenue_streams"][number % 3], created_at=NOW,
                )
            )  # fmt: skip
        connection.execute(
            insert(t.ItemMerge).values(
                team_id=team_id, key_hash=digest("slow payments"), key="slow payments", into="late invoices",
                by_name="Ann", at=NOW,
            )
        )  # fmt: skip
    return team_id, members


def seed(engine: Engine, team_id: int, members: list[int], start: int, count: int) -> tuple[float, float]:
    """Add `count` interviews with bulk inserts, then count the team afresh (storage.tally_write.rebuild, what the
    write path keeps one interview at a time); the seconds each took."""
    began = time.perf_counter()
    for offset in range(0, count, CHUNK):
        size = min(CHUNK, count - offset)
        rows = rows_for(team_id, members, start + offset, size, seed=start + offset)
        with engine.begin() as connection:
            for table, values in rows.items():
                if values:
                    connection.execute(insert(table), values)
    seeded = time.perf_counter()
    with engine.begin() as connection:
        run_inline(rebuild(inline(connection), engine.dialect.name, team_id))
    counted = time.perf_counter()
    analyze(engine)
    return seeded - began, counted - seeded


async def timed(call: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds, after one warm-up call."""
    await call()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await call()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


async def measure(
    url: str, team_id: int, runs: int, old: bool
) -> tuple[tuple[float, float], tuple[float, float] | None]:
    storage = SqlStorage(url)
    try:
        new = await timed(lambda: storage.board(team_id, NOW, "en"), runs)
        before = None
        if old:

            async def reference() -> None:
                async with storage.transaction() as uow:
                    await reference_board(uow, team_id, NOW, "en")

            before = await timed(reference, max(3, runs // 10))
        return new, before
    finally:
        await storage.close()


def run(name: str, url: str, sync: Engine, sizes: list[int], old_sizes: set[int], runs: int) -> None:
    team_id, members = create_team(sync)
    have = 0
    for size in sizes:
        seconds, counting = seed(sync, team_id, members, have, size - have)
        have = size
        new, before = asyncio.run(measure(url, team_id, runs, size in old_sizes))
        old_text = f"   old p50 {before[0]:8.1f} ms  p95 {before[1]:8.1f} ms" if before else ""
        print(
            f"{name:<11} {size:>7} interviews (seeded in {seconds:5.1f}s, counted in {counting:5.1f}s)   "
            f"board p50 {new[0]:6.1f} ms  p95 {new[1]:6.1f} ms{old_text}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000", help="team sizes in interviews, ascending")
    parser.add_argument("--old-sizes", default="1000,10000", help="sizes at which to time the old Python board too")
    parser.add_argument("--runs", type=int, default=30, help="timed boards per size")
    parser.add_argument("--postgres", default=POSTGRES, help="PostgreSQL server for a throw-away database")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    old_sizes = {int(s) for s in args.old_sizes.split(",") if s}
    print(f"board query, one team; p50/p95 of {args.runs} runs (old way: fewer runs); cores: {os.cpu_count()}")
    for name, url, engine in each_database(args.postgres, "board.db"):
        run(name, url, engine, sizes, old_sizes, args.runs)


if __name__ == "__main__":
    main()
