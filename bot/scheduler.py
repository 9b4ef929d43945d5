"""Scheduled work on the leader: APScheduler 3's AsyncIOScheduler checks for due digests every minute, for due
reminders every five, and prunes old event ids and sent messages every hour (core.app.housekeeping).

Every process runs `Scheduler.run`; only the leader (bot.leader) starts APScheduler, the others wait to take over.
The tick is an interval job with `coalesce` (missed ticks run once) and a misfire grace of the digest grace window
(a stalled loop or a suspended machine still ticks when it wakes); which digests are due is computed from the
clock and each team's schedule (core.board.digest_schedule), and a digest's period row makes it once-only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.bootstrap import App
from bot.leader import Leadership, leadership_for
from bot.metrics import Metrics
from bot.settings import Settings
from core.app.digests import DigestBuilder, send_due_digests
from core.app.housekeeping import Retention, prune_old
from core.app.ports import Clock, OutboxMessage, Storage
from core.reminders.job import send_due_reminders

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A job the leader runs every `every`: a name and the coroutine to await."""

    name: str
    every: timedelta
    run: Callable[[], Awaitable[object]]


class Scheduler:
    """Competes for leadership and, while leading, runs the jobs with APScheduler."""

    def __init__(
        self,
        leadership: Leadership,
        jobs: Sequence[Job],
        grace: timedelta,
        check_every: float = 5.0,
        metrics: Metrics | None = None,
    ) -> None:
        self.leadership, self.jobs, self.grace, self.check_every = leadership, jobs, grace, check_every
        self.metrics = metrics or Metrics()
        self.leading = False

    async def run(self, stop: asyncio.Event) -> None:
        """Until stopped: lead when the lead is free (starting the jobs at once), else wait to take over."""
        while not stop.is_set():
            try:
                if await self.leadership.acquire():
                    await self._lead(stop)
                    continue
            except Exception:  # scheduling must outlive any one failure: try again after a pause
                log.exception("the scheduler failed; trying again")
            await _wait(stop, self.check_every)

    async def _lead(self, stop: asyncio.Event) -> None:
        log.info("this process leads the scheduler")
        scheduler = AsyncIOScheduler(timezone=UTC)
        for job in self.jobs:
            scheduler.add_job(
                job.run,
                IntervalTrigger(seconds=job.every.total_seconds(), timezone=UTC),
                id=job.name,
                name=job.name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=int(self.grace.total_seconds()),
                next_run_time=datetime.now(UTC),  # catch up at once: the last leader may have died before 09:00
            )
        self.leading = True
        self.metrics.scheduler_leader.set(1)
        scheduler.start()
        try:
            while not stop.is_set() and await self.leadership.holds():
                await _wait(stop, self.check_every)
        finally:
            self.leading = False
            self.metrics.scheduler_leader.set(0)
            scheduler.shutdown(wait=False)
            await self.leadership.release()
            log.info("this process no longer leads the scheduler")


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def outbox_job(
    name: str, every: timedelta, queue: Callable[[datetime], Awaitable[object]], clock: Clock, poke: Callable[[], None]
) -> Job:
    """A job that puts what is due at the clock's now in the outbox, then wakes the relays when it queued anything.
    A failure is logged and the next tick tries again (what was queued is never queued twice: digest periods and
    reminder days are unique keys)."""

    async def run() -> None:
        try:
            queued = await queue(clock.now())
        except Exception:
            log.exception("the scheduled %s failed", name)
            return
        log.info("the scheduled %s ran: %s", name, "queued" if queued else "nothing due")
        if queued:
            poke()

    return Job(name, every, run)


def digest_job(
    storage: Storage,
    build: DigestBuilder,
    clock: Clock,
    grace: timedelta,
    poke: Callable[[], None],
    every: timedelta = timedelta(minutes=1),
    metrics: Metrics | None = None,
) -> Job:
    """The job that sends every team's due digest (each one counted in the metrics by the platform it goes to)."""
    counted = metrics or Metrics()

    async def queue(now: datetime) -> list[OutboxMessage]:
        sent = await send_due_digests(storage, build, now, grace)
        for message in sent:
            counted.digests_sent.labels(message.destination.platform, "scheduled").inc()
        return sent

    return outbox_job("digests", every, queue, clock, poke)


def reminder_job(
    storage: Storage, clock: Clock, poke: Callable[[], None], every: timedelta = timedelta(minutes=5)
) -> Job:
    """The job that nudges founders who asked for reminders and are due (core.reminders.job)."""
    return outbox_job("reminders", every, lambda now: send_due_reminders(storage, now), clock, poke)


def housekeeping_job(
    storage: Storage, clock: Clock, retention: Retention, every: timedelta = timedelta(hours=1)
) -> Job:
    """The job that prunes processed event ids and sent messages past their retention; a failure waits for the next
    tick (what is left is pruned then)."""

    async def run() -> None:
        try:
            await prune_old(storage, clock.now(), retention)
        except Exception:
            log.exception("the scheduled housekeeping failed")

    return Job("housekeeping", every, run)


def retention_of(settings: Settings) -> Retention:
    """The retention windows the settings ask for."""
    return Retention(timedelta(days=settings.event_retention_days), timedelta(days=settings.outbox_retention_days))


def scheduler_for(app: App, poke: Callable[[], None]) -> Scheduler:
    """The scheduler `cusdev run` starts: digests, reminders and housekeeping, led by one process (bot.leader)."""
    grace = timedelta(hours=app.settings.digest_grace_hours)
    build = app.service.digest_builder
    jobs = [
        reminder_job(app.storage, app.clock, poke),
        housekeeping_job(app.storage, app.clock, retention_of(app.settings)),
    ]
    if build is not None:
        jobs.append(digest_job(app.storage, build, app.clock, grace, poke, metrics=app.metrics))
    return Scheduler(leadership_for(app.settings.database_url), jobs, grace, metrics=app.metrics)
