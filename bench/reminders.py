"""Benchmark: one run of the reminder job with many founders on reminders, on SQLite and PostgreSQL.

Teams of five founders, every one with reminders on at 18:00 in their team's timezone and a private conversation,
each team with a few interviews this week. Prints how long `send_due_reminders` takes when everyone is due (it
queues a nudge each), when everyone was reminded already (the common call, every few minutes), and before anyone's
time.
Run: `python bench/reminders.py` or `python bench/reminders.py --founders 200,2000`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.throwaway_db import POSTGRES, drop_database, postgres_database
from core.app.ports import Conversation, Storage
from core.interview.state import ConversationState
from core.reminders.job import send_due_reminders
from core.reminders.ports import ReminderSettings
from storage.database import upgrade
from storage.sql_storage import SqlStorage

MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
ZONES = ["Europe/Moscow", "Europe/Lisbon", "Asia/Dubai", "Europe/Berlin"]


async def seed(storage: Storage, founders: int) -> None:
    """Teams of five founders with reminders on and a conversation each."""
    async with storage.transaction() as uow:
        for n in range(founders):
            team = f"team-{n // 5}"
            seat = await uow.teams.join_team("telegram", str(n), f"Founder {n}", team)
            if n % 5 == 0:
                await uow.teams.update_team(seat.team_id, timezone=ZONES[(n // 5) % len(ZONES)])
            key = f"telegram:bot:{n}:{n}"
            await uow.conversations.create(Conversation(key, seat.team_id, seat.member_id, ConversationState()), MONDAY)
            await uow.reminders.save(seat.member_id, ReminderSettings(enabled=True), MONDAY)


async def timed(storage: Storage, now: datetime) -> tuple[int, float]:
    start = time.perf_counter()
    queued = await send_due_reminders(storage, now)
    return queued, (time.perf_counter() - start) * 1000


async def run(url: str, label: str, founders: int) -> None:
    upgrade(url)
    storage = SqlStorage(url)
    try:
        await seed(storage, founders)
        early = await timed(storage, MONDAY)  # 06:00-10:00 local: nobody's time yet
        evening = MONDAY + timedelta(hours=13, minutes=30)  # 17:30 UTC: Lisbon is before 18:00, Dubai past 21:00
        due = await timed(storage, evening)
        again = await timed(storage, evening + timedelta(minutes=5))
        print(
            f"{label:10} {founders:6} founders: before anyone's time {early[1]:8.1f} ms ({early[0]} queued); "
            f"due {due[1]:8.1f} ms ({due[0]} queued); after {again[1]:8.1f} ms ({again[0]} queued)"
        )
    finally:
        await storage.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--founders", default="100,1000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.founders.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            await run(f"sqlite:///{folder}/bench-{size}.db", "SQLite", size)
    base = POSTGRES
    for size in sizes:
        made = postgres_database(base)
        if made is None:
            return
        try:
            await run(made[0], "PostgreSQL", size)
        finally:
            drop_database(base, made[1])


if __name__ == "__main__":
    asyncio.run(main())
