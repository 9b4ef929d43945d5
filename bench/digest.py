"""Benchmark: building the weekly digest (core.digest.build_digest) for one team of 1k, 10k and 100k interviews, on
SQLite and PostgreSQL, and every digest of 1,000 teams (each of `--team-size` interviews, 100 by default).

Teams are seeded as bench/board.py seeds them (bulk inserts over a year, then the board's counts rebuilt). Prints
p50/p95 of one team's digest per size, and the total time for all the teams' digests one after another.
Targets: under 1 s at 100k interviews; under 60 s for 1,000 teams.
Run: `python bench/digest.py` or `python bench/digest.py --sizes 1000,10000 --teams 100`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine, insert

from bench.board import FOUNDERS, NOW, create_team, rows_for, seed, timed
from bench.throwaway_db import POSTGRES, analyze, each_database
from core.digest import build_digest
from storage import tables as t
from storage.board_read import inline, run_inline
from storage.sql_storage import SqlStorage
from storage.tally_write import rebuild

WEEK = timedelta(days=7)


async def one_team(url: str, team_id: int, runs: int) -> tuple[float, float]:
    storage = SqlStorage(url)
    try:
        return await timed(lambda: build_digest(storage, team_id, NOW - WEEK, NOW, "en"), runs)
    finally:
        await storage.close()


async def all_teams(url: str, team_ids: list[int]) -> float:
    """Seconds to build every team's digest one after another on one storage."""
    storage = SqlStorage(url)
    try:
        began = time.perf_counter()
        for team_id in team_ids:
            await build_digest(storage, team_id, NOW - WEEK, NOW, "en")
        return time.perf_counter() - began
    finally:
        await storage.close()


def make_team(engine: Engine, number: int) -> tuple[int, list[int]]:
    """Team 0 is bench/board.py's; the others have its founders and hypotheses under their own slug and ids (their
    evidence rows point at team 0's hypothesis ids, which the digest never reads: it counts by team and code)."""
    if number == 0:
        return create_team(engine)
    with engine.begin() as connection:
        team_id = connection.execute(
            insert(t.Team)
            .values(slug=f"bench-{number}", name=f"Bench {number}", created_at=NOW, timezone="Europe/Berlin")
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
        connection.execute(
            insert(t.Hypothesis),
            [
                {
                    "id": 12 * number + n,
                    "team_id": team_id,
                    "code": f"H{n}",
                    "number": n,
                    "statement": f"Hypothesis {n}",
                    "created_at": NOW,
                }
                for n in range(1, 13)
            ],
        )
    return team_id, members


def seed_teams(engine: Engine, teams: int, team_size: int) -> list[int]:
    """`teams` more teams of `team_size` interviews each, inserted in bulk and counted team by team (as bench/board.py
    seeds one), then the statistics refreshed once; their ids."""
    ids, start = [], 10_000_000
    for number in range(1, teams + 1):
        team_id, members = make_team(engine, number)
        rows = rows_for(team_id, members, start, team_size, seed=number)
        start += team_size
        with engine.begin() as connection:
            for kind, values in rows.items():
                if values:
                    connection.execute(insert(kind), values)
            run_inline(rebuild(inline(connection), engine.dialect.name, team_id))
        ids.append(team_id)
    analyze(engine)
    return ids


def run(name: str, url: str, engine: Engine, sizes: list[int], runs: int, teams: int, team_size: int) -> None:
    team_id, members = make_team(engine, 0)
    have = 0
    for size in sizes:
        seconds, _counting = seed(engine, team_id, members, have, size - have)
        have = size
        p50, p95 = asyncio.run(one_team(url, team_id, runs))
        print(
            f"{name:<11} {size:>7} interviews (seeded in {seconds:5.1f}s)   digest p50 {p50:7.1f} ms  p95 {p95:7.1f} ms"
        )
    if not teams:
        return
    began = time.perf_counter()
    ids = seed_teams(engine, teams, team_size)
    print(
        f"{name:<11} seeded {teams} teams of {team_size} interviews in {time.perf_counter() - began:.1f}s", flush=True
    )
    seconds = asyncio.run(all_teams(url, ids))
    print(
        f"{name:<11} {teams} teams of {team_size} interviews: all digests in {seconds:6.1f} s "
        f"({seconds / teams * 1000:.1f} ms a team)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000", help="one team's sizes in interviews, ascending")
    parser.add_argument("--runs", type=int, default=20, help="timed digests per size")
    parser.add_argument("--teams", type=int, default=1000, help="teams whose digests are built one after another")
    parser.add_argument("--team-size", type=int, default=100, help="interviews of each of those teams")
    parser.add_argument("--postgres", default=POSTGRES, help="PostgreSQL server for a throw-away database")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    print(f"weekly digest; one team p50/p95 of {args.runs} runs; cores: {os.cpu_count()}")
    for name, url, engine in each_database(args.postgres, "digest.db"):
        run(name, url, engine, sizes, args.runs, args.teams, args.team_size)


if __name__ == "__main__":
    main()
