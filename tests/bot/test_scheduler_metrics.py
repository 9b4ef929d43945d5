"""The scheduler in the metrics: the leadership gauge while a process leads (one of two on PostgreSQL), and the
scheduled digests it put in the outbox; real APScheduler, real database, fake clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.leader import AdvisoryLock, Leadership, OnlyProcess
from bot.metrics import Metrics
from bot.scheduler import Job, Scheduler, digest_job
from storage.sql_storage import SqlStorage
from tests.digest_helpers import MONDAY_0900_MOSCOW, TICK, built, team_with_digest_group
from tests.fakes import FakeClock
from tests.metrics_support import value
from tests.waiting import until

GRACE = timedelta(hours=6)


def measured(
    storage: SqlStorage, clock: FakeClock, lead: Leadership, pokes: list[int], runs: list[int] | None = None
) -> tuple[Scheduler, Metrics]:
    metrics = Metrics()
    job = digest_job(storage, built, clock, GRACE, lambda: pokes.append(1), every=TICK, metrics=metrics)
    tally = [] if runs is None else runs

    async def counted() -> object:
        result = await job.run()
        tally.append(1)
        return result

    return Scheduler(lead, [Job(job.name, job.every, counted)], GRACE, check_every=0.1, metrics=metrics), metrics


def leads(metrics: Metrics) -> float:
    return value(metrics.exposition().decode(), "cusdev_scheduler_leader")


def digests(metrics: Metrics) -> float:
    return value(metrics.exposition().decode(), "cusdev_digests_sent_total", platform="telegram", kind="scheduled")


async def test_the_leader_shows_1_while_it_leads_and_counts_the_digest_it_sent(storage: SqlStorage) -> None:
    await team_with_digest_group(storage)
    clock = FakeClock(MONDAY_0900_MOSCOW + timedelta(minutes=1), step=timedelta(0))
    pokes: list[int] = []
    runs: list[int] = []
    runner, metrics = measured(storage, clock, OnlyProcess(), pokes, runs)
    assert leads(metrics) == 0
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        await until(lambda: pokes, "a digest poke")
        assert leads(metrics) == 1 and digests(metrics) == 1
        seen = len(runs)
        await until(
            lambda: len(runs) >= seen + 3, "three more ticks"
        )  # more ticks in the same period send nothing more
        assert digests(metrics) == 1
    finally:
        stop.set()
        await task
    assert leads(metrics) == 0


@pytest.mark.postgres
async def test_of_two_processes_only_the_lock_holder_shows_1(pg_url: str) -> None:
    storage = SqlStorage(pg_url)
    clock = FakeClock(MONDAY_0900_MOSCOW, step=timedelta(0))
    locks = [AdvisoryLock(pg_url), AdvisoryLock(pg_url)]
    (first, first_metrics), (second, second_metrics) = (measured(storage, clock, lock, []) for lock in locks)
    refused: list[bool] = []
    ask = locks[1].acquire

    async def asked() -> bool:
        got = await ask()
        refused.append(not got)
        return got

    locks[1].acquire = asked  # type: ignore[method-assign]
    stop = asyncio.Event()
    tasks = [asyncio.create_task(first.run(stop))]
    try:
        await until(lambda: first.leading, "the first process to lead")
        tasks.append(asyncio.create_task(second.run(stop)))
        await until(lambda: len(refused) >= 2, "the second process refused twice")
        assert all(refused) and (leads(first_metrics), leads(second_metrics)) == (1, 0)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        for lock in locks:
            await lock.release()
        await storage.close()
