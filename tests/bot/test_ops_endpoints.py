"""/readyz and /metrics on the ASGI app of a real App: the database's answer, its migrations, the outbox backlog."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.bootstrap import App, build, database_status
from bot.readiness import BEHIND, UNREACHABLE, Readiness
from bot.settings import Settings
from bot.web import create_app
from core.messages import Reply, Span, ToChat
from storage.database import upgrade
from tests.fakes import FakeClock
from tests.metrics_support import value
from tests.ports import free_port


def app_on(url: str, clock: FakeClock | None = None) -> App:
    return build(Settings(database_url=url, _env_file=None), clock=clock, migrate_first=False)  # type: ignore[call-arg]


@asynccontextmanager
async def client(app: App) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app((), app))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://cusdev.test") as http:
            yield http
    finally:
        await app.storage.close()


async def test_ready_at_head_and_not_while_migrations_are_behind(empty_url: str) -> None:
    upgrade(empty_url, "0016")
    async with client(app_on(empty_url)) as http:
        behind = await http.get("/readyz")
        assert behind.status_code == 503 and behind.json() == {"ok": False, "reason": BEHIND}
        assert (await http.get("/healthz")).status_code == 200, "alive all the same"
    upgrade(empty_url)
    async with client(app_on(empty_url)) as http:
        ready = await http.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"ok": True}


async def test_a_database_migrated_ahead_keeps_an_older_replica_ready_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A rolling upgrade migrates before the old replicas are gone: they keep serving (migrations only add)."""
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    upgrade(url)
    with sqlite3.connect(tmp_path / "newer.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with caplog.at_level(logging.WARNING, logger="bot.readiness"):
        async with client(app_on(url)) as http:
            answers = [await http.get("/readyz") for _ in range(3)]
    assert [(a.status_code, a.json()) for a in answers] == [(200, {"ok": True})] * 3
    warnings = [r.getMessage() for r in caplog.records if "newer migration" in r.getMessage()]
    assert len(warnings) == 1, warnings  # said once, not at every probe


async def test_an_unreachable_database_is_not_ready_and_metrics_still_answer() -> None:
    closed = free_port()  # nothing listens there
    async with client(app_on(f"postgresql://postgres@127.0.0.1:{closed}/cusdev")) as http:
        down = await http.get("/readyz")
        assert down.status_code == 503 and down.json() == {"ok": False, "reason": UNREACHABLE}
        assert (await http.get("/healthz")).json() == {"ok": True}
        metrics = await http.get("/metrics")
        assert metrics.status_code == 200 and value(metrics.text, "cusdev_scheduler_leader") == 0


async def test_the_head_check_is_read_once_per_ttl_and_the_database_on_every_probe(empty_url: str) -> None:
    upgrade(empty_url, "0016")
    app = app_on(empty_url)
    pings: list[int] = []
    states: list[str] = []
    now = [100.0]

    async def ping() -> None:
        pings.append(1)

    def schema_state() -> str:
        states.append(database_status(app.settings).state)
        return states[-1]

    readiness = Readiness(ping, schema_state, head_ttl=5.0, clock=lambda: now[0])
    try:
        assert await readiness.problem() == BEHIND
        upgrade(empty_url)
        now[0] += 4.9
        assert await readiness.problem() == BEHIND, "the head check is still the one of 4.9 s ago"
        now[0] += 0.1
        assert await readiness.problem() is None
        assert len(pings) == 3 and states == ["behind", "current"]
    finally:
        await app.storage.close()


async def test_outbox_backlog_and_oldest_age_come_from_the_database(db_url: str) -> None:
    clock = FakeClock(step=timedelta(0))
    app = app_on(db_url, clock)
    start = clock.now()
    async with app.storage.transaction() as uow:
        [first] = await uow.outbox.enqueue(ToChat("telegram", "1", "10"), [Reply((Span("one"),))], start)
        await uow.outbox.enqueue(ToChat("telegram", "1", "11"), [Reply((Span("two"),))], start + timedelta(seconds=10))
        await uow.outbox.enqueue(ToChat("slack", "T1", "D1"), [Reply((Span("three"),))], start + timedelta(seconds=30))
    await app.storage.mark_sent([first], start + timedelta(seconds=1))
    clock.advance(timedelta(seconds=90))
    async with client(app) as http:
        page = (await http.get("/metrics")).text
    assert value(page, "cusdev_outbox_backlog", platform="telegram") == 1
    assert value(page, "cusdev_outbox_oldest_unsent_age_seconds", platform="telegram") == 80
    assert value(page, "cusdev_outbox_backlog", platform="slack") == 1
    assert value(page, "cusdev_outbox_oldest_unsent_age_seconds", platform="slack") == 60


async def test_a_hanging_schema_read_is_not_started_again_by_every_probe() -> None:
    """A schema read stuck on a dead network keeps its thread; later probes wait on it instead of adding threads."""
    release, calls, now = threading.Event(), [], [0.0]

    async def ping() -> None:
        return None

    def schema_state() -> str:
        calls.append(1)
        release.wait(10)
        return "current"

    readiness = Readiness(ping, schema_state, head_ttl=5.0, timeout=0.05, clock=lambda: now[0])
    for _probe in range(4):
        assert await readiness.problem() == UNREACHABLE
        now[0] += 10  # past the TTL: each probe would read the schema again
    assert len(calls) == 1
    release.set()
    readiness.timeout = 5.0  # the stuck read now answers; give its thread time to hand the answer back
    assert await readiness.problem() is None
    assert len(calls) == 1  # the stuck read's answer is used, then read again only after the TTL
