"""The scheduler on its leader: APScheduler ticks, one digest per period, and a follower that takes over when the
leader dies (PostgreSQL's advisory lock); the clock is fake, the database and APScheduler are real."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import psycopg
import pytest

from bot.leader import AdvisoryLock, OnlyProcess, leadership_for, libpq_url
from bot.scheduler import Scheduler, digest_job
from storage.sql_storage import SqlStorage
from tests.digest_helpers import MONDAY_0900_MOSCOW, TICK, built, team_with_digest_group
from tests.fakes import FakeClock
from tests.waiting import until


def scheduler(storage: SqlStorage, clock: FakeClock, pokes: list[int], lead: object) -> Scheduler:
    job = digest_job(storage, built, clock, timedelta(hours=6), lambda: pokes.append(1), every=TICK)
    return Scheduler(lead, [job], timedelta(hours=6), check_every=0.1)  # type: ignore[arg-type]


async def test_the_only_process_sends_the_due_digest_once_and_wakes_the_relays(storage: SqlStorage) -> None:
    await team_with_digest_group(storage)
    clock = FakeClock(MONDAY_0900_MOSCOW + timedelta(minutes=1), step=timedelta(0))
    pokes: list[int] = []
    runner = scheduler(storage, clock, pokes, OnlyProcess())
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        await until(lambda: pokes, "a digest poke")
        await asyncio.sleep(5 * TICK.total_seconds())  # more ticks in the same period send nothing more
        assert len(await storage.unsent("telegram")) == 1 and pokes == [1]
        clock.advance(timedelta(days=7))
        await until(lambda: len(pokes) == 2, "a second digest poke")
        assert len(await storage.unsent("telegram")) == 2
    finally:
        stop.set()
        await task
    assert not runner.leading


async def never() -> bool:
    """A dead process's claim to lead: it makes none."""
    return False


async def pid_of(lock: AdvisoryLock) -> int:
    assert lock.connection is not None
    return lock.connection.info.backend_pid


@pytest.mark.postgres
async def test_one_leader_sends_and_a_follower_takes_over_when_it_dies(pg_url: str) -> None:
    storage = SqlStorage(pg_url)
    try:
        await leader_dies(storage, pg_url)
    finally:
        await storage.close()


async def leader_dies(storage: SqlStorage, db_url: str) -> None:
    await team_with_digest_group(storage)
    clock = FakeClock(MONDAY_0900_MOSCOW + timedelta(minutes=1), step=timedelta(0))
    pokes: list[int] = []
    first, second = AdvisoryLock(db_url), AdvisoryLock(db_url)
    leader, follower = scheduler(storage, clock, pokes, first), scheduler(storage, clock, pokes, second)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(leader.run(stop))]
    await until(lambda: leader.leading, "the first process to lead")
    tasks.append(asyncio.create_task(follower.run(stop)))
    try:
        await until(lambda: pokes, "a digest poke")
        await asyncio.sleep(0.5)
        assert (leader.leading, follower.leading) == (True, False)
        assert len(await storage.unsent("telegram")) == 1, "two processes, one digest"
        # The leader's process dies: its connection is gone (PostgreSQL drops the lock) and it never asks again.
        first.acquire = never  # type: ignore[method-assign]
        async with await psycopg.AsyncConnection.connect(libpq_url(db_url), autocommit=True) as admin:
            await admin.execute("SELECT pg_terminate_backend(%s)", (await pid_of(first),))
        await until(lambda: follower.leading, "the follower to lead")
        await until(lambda: not leader.leading, "the old leader to step down")
        assert len(await storage.unsent("telegram")) == 1, "the new leader does not send the period again"
        clock.advance(timedelta(days=7))
        await until(lambda: len(pokes) == 2, "a second digest poke")
        assert len(await storage.unsent("telegram")) == 2
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        await first.release()
        await second.release()


def test_sqlite_is_led_by_its_only_process_and_postgres_by_a_lock() -> None:
    assert isinstance(leadership_for("sqlite:////tmp/x.db"), OnlyProcess)
    lock = leadership_for("postgresql+psycopg://postgres:secret@db:5432/cusdev")
    assert isinstance(lock, AdvisoryLock) and lock.dsn == "postgresql://postgres:secret@db:5432/cusdev"
