"""Housekeeping on the scheduler leader: APScheduler (real) runs the job, which prunes old event ids and old sent
messages from the real database (SQLite and PostgreSQL) in batches, logs how many, and leaves the rest alone."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlmodel import col

from bot.bootstrap import build
from bot.leader import OnlyProcess
from bot.scheduler import Scheduler, housekeeping_job, retention_of, scheduler_for
from bot.settings import Settings
from core.app.housekeeping import Retention
from core.app.ports import Pruned
from core.messages import Reply, TextBuilder, ToChat
from storage import tables as t
from storage.sql_storage import SqlStorage
from tests.fakes import FakeClock
from tests.fakes.storage import InMemoryStorage
from tests.waiting import until

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
OLD, RECENT = NOW - timedelta(days=31), NOW - timedelta(days=29)


async def seed(storage: SqlStorage, events: int, sent: int) -> int:
    """`events` old event ids and one recent; `sent` old sent messages, one recent sent, one old unsent (its id)."""
    hello = [Reply(TextBuilder().add("hello").build())]
    async with storage.transaction() as uow:
        for n in range(events):
            await uow.events.claim(f"old-{n}", OLD)
        await uow.events.claim("recent", RECENT)
        old = [(await uow.outbox.enqueue(ToChat("telegram", "", "42"), hello, OLD))[0] for _ in range(sent)]
        recent = await uow.outbox.enqueue(ToChat("telegram", "", "42"), hello, RECENT)
        [unsent] = await uow.outbox.enqueue(ToChat("telegram", "", "7"), hello, OLD)
    await storage.mark_sent(old, OLD)
    await storage.mark_sent(recent, RECENT)
    return unsent


async def counts(storage: SqlStorage) -> tuple[int, int]:
    async def count(view: object) -> tuple[int, int]:
        execute = view.execute  # type: ignore[attr-defined]
        events = (await execute(select(func.count(col(t.ProcessedEvent.event_id))))).scalar_one()
        messages = (await execute(select(func.count(col(t.Outbox.id))))).scalar_one()
        return int(events), int(messages)

    return await storage.read(count)


async def test_the_leader_prunes_on_schedule_and_logs_it(storage: SqlStorage, caplog: pytest.LogCaptureFixture) -> None:
    unsent = await seed(storage, events=12, sent=7)
    clock = FakeClock(NOW, step=timedelta(0))
    job = housekeeping_job(storage, clock, Retention(timedelta(days=30), timedelta(days=30)), every=timedelta(hours=1))
    runner = Scheduler(OnlyProcess(), [job], timedelta(hours=6), check_every=0.1)
    stop = asyncio.Event()
    caplog.set_level(logging.INFO, logger="core.app.housekeeping")
    task = asyncio.create_task(runner.run(stop))  # the first tick runs as soon as it leads
    try:
        await until(lambda: "pruned" in caplog.text, "the prune log line")
    finally:
        stop.set()
        await task
    assert (
        "pruned 12 processed event ids older than 30 days and 7 sent outbox messages older than 30 days" in caplog.text
    )
    assert await counts(storage) == (1, 2)  # the recent event id; the recent sent message and the old unsent one
    assert [m.id for m in await storage.unsent("telegram")] == [unsent]


async def test_pruning_goes_in_batches_until_nothing_old_is_left(storage: SqlStorage) -> None:
    await seed(storage, events=11, sent=5)
    before = NOW - timedelta(days=30)
    assert await storage.prune(before, before, batch=4, dry_run=True) == Pruned(11, 5)
    assert await counts(storage) == (12, 7)  # a dry run deletes nothing
    assert await storage.prune(before, before, batch=4) == Pruned(11, 5)  # 4 + 4 + 3 and 4 + 1
    assert await counts(storage) == (1, 2)
    assert await storage.prune(NOW, NOW, batch=4) == Pruned(1, 1)  # the unsent message never goes


class Unreachable(InMemoryStorage):
    """A storage whose database is down."""

    async def prune(
        self, events_before: datetime, sent_before: datetime, batch: int | None = None, dry_run: bool = False
    ) -> Pruned:
        raise ConnectionError("the database is down")


async def test_a_failed_prune_is_logged_and_the_next_tick_tries_again(caplog: pytest.LogCaptureFixture) -> None:
    job = housekeeping_job(Unreachable(), FakeClock(NOW), Retention(timedelta(days=30), timedelta(days=30)))
    await job.run()  # does not raise: the scheduler keeps the job for its next tick
    assert "the scheduled housekeeping failed" in caplog.text and "the database is down" in caplog.text


async def test_the_retention_settings_keep_event_ids_past_platform_redelivery(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="event_retention_days"):
        Settings(event_retention_days=1)
    with pytest.raises(ValidationError, match="outbox_retention_days"):
        Settings(outbox_retention_days=0)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}", event_retention_days=3)
    assert retention_of(settings) == Retention(timedelta(days=3), timedelta(days=30))
    app = build(settings)
    try:
        assert "housekeeping" in [job.name for job in scheduler_for(app, lambda: None).jobs]
    finally:
        await app.storage.close()
