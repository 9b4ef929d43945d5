"""Two `cusdev run` replicas on one PostgreSQL, serving Telegram (webhook) and Slack (HTTP) at once; founders'
requests alternate between them; one is killed with SIGKILL halfway. Every answer is stored once, every reply is
sent once, and the team's digest goes out once although both replicas run the scheduler and the leader is killed."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.slack.translate import channel_origin, dm_origin
from core.messages import Incoming
from storage.sql_storage import SqlStorage
from tests.conftest import fresh_postgres
from tests.digest_helpers import service_at
from tests.e2e.processes import Running, bot_env, leader, query, start
from tests.e2e.replica_driver import REPLIES, Founder, Platforms, post, post_raw
from tests.fake_slack import FakeSlack, Person
from tests.fake_telegram import FakeTelegramServer, Limits
from tests.ports import free_port
from tests.waiting import until

pytestmark = pytest.mark.slow
LEASE = 3
"""OUTBOX_LEASE_SECONDS of both replicas: the survivor sends what the killed one held after this."""
KILL_STEP = 3
"""The step (0-based) during which replica A dies: founders have typed who, the segment, and now type the pain."""


@pytest.fixture
def database() -> Iterator[str]:
    """A PostgreSQL database of this test's own, migrated, dropped afterwards."""
    with fresh_postgres("cusdev_replicas", "head") as url:
        yield url


async def seed_digest(url: str, dana: Person) -> None:
    """The Slack workspace's team has its digest channel C1, set up two hours ago and due daily an hour ago (so it
    is due when the replicas start)."""
    storage = SqlStorage(url)
    now = datetime.now(UTC)
    service, _clock = service_at(storage, now - timedelta(hours=2))
    dm, channel = dm_origin("T1", dana.dm, dana.id), channel_origin("T1", "C1", dana.id)
    said = [
        (dm, "/start"),
        (channel, "/digest here"),
        (dm, f"/digest schedule daily {now - timedelta(hours=1):%H:%M} UTC"),
    ]
    try:
        for n, (origin, typed) in enumerate(said):
            incoming = Incoming.typed(origin, f"seed-{n}", typed, "en", dana.name)
            replies = await service.handle(incoming, team="slack-T1", team_name="Acme")
            await storage.mark_sent([m.id for m in replies], now)  # seen: not this test's concern
        assert "every day at" in replies[-1].reply.plain_text
    finally:
        await storage.close()


async def drive(
    http: aiohttp.ClientSession,
    platforms: Platforms,
    founder: Founder,
    replicas: list[Running],
    steps: range,
    offset: int,
) -> None:
    """Take the steps in a closed loop (each reply awaited), step k going to replica (offset + k) mod N."""
    for k in steps:
        request = await platforms.request(founder, founder.steps[k])
        founder.requests.append(request)
        assert await post(http, replicas[(offset + k) % len(replicas)].url, request) == 200
        await until(lambda k=k: len(platforms.replies(founder)) > k, f"{founder.alias}'s reply to step {k}", timeout=30)


def delivered(tg: FakeTelegramServer, slack: FakeSlack) -> int:
    """Messages the platforms have taken from the bot so far."""
    return sum(len(sent) for sent in tg.sent.values()) + len(slack.posted)


async def test_two_replicas_one_killed_every_answer_and_reply_once_and_one_digest(
    database: str, tmp_path: Path
) -> None:
    async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg, FakeSlack() as slack:
        await seed_digest(database, slack.add_person("Dana"))
        founders = [Founder(f"Tg{n}", tg_user=tg.add_user(f"Tg{n}")) for n in range(4)]
        founders += [Founder(f"Sl{n}", slack_person=slack.add_person(f"Sl{n}")) for n in range(4)]
        platforms = Platforms(tg, slack)

        def env(name: str) -> dict[str, str]:
            return bot_env(database, free_port(), tg, slack, OUTBOX_LEASE_SECONDS=str(LEASE), PGAPPNAME=name)

        a = await start("replica-a", env("replica-a"), tmp_path)
        running = [a]
        try:
            await until(lambda: leader(database) == "replica-a", "replica A to lead", timeout=30)
            await until(lambda: slack.messages("C1"), "the digest from the leader", timeout=30)
            b = await start("replica-b", env("replica-b"), tmp_path)
            running.append(b)
            connector = aiohttp.TCPConnector(force_close=True)
            async with aiohttp.ClientSession(connector=connector) as http:
                await asyncio.gather(
                    *(drive(http, platforms, f, [a, b], range(KILL_STEP), i) for i, f in enumerate(founders))
                )
                await until(
                    lambda: not query(database, "SELECT id FROM outbox WHERE sent_at IS NULL"), "quiet", timeout=30
                )
                await kill_halfway(database, tg, slack, platforms, founders, http, a, b)
                await asyncio.gather(
                    *(drive(http, platforms, f, [b], range(KILL_STEP + 1, len(REPLIES)), 0) for f in founders)
                )
            await until(lambda: leader(database) == "replica-b", "replica B to take the lead", timeout=30)
            await until(lambda: "the scheduled digests ran" in b.output(), "B's first digest run as leader", timeout=30)
            await asyncio.sleep(0.5)  # anything B queued would be sent by now: the check below is that it queued none
            b.signal(signal.SIGTERM)
            code, seconds = await b.exited(15)
            print(f"\nreplica B: SIGTERM to exit {seconds:.2f} s")
            assert code == 0, b.output()
        finally:
            for replica in running:
                replica.stop()
        for founder in founders:
            replies = platforms.replies(founder)
            assert len(replies) == len(REPLIES), (founder.alias, replies)
            assert all(marker in reply for marker, reply in zip(REPLIES, replies, strict=True)), (
                founder.alias,
                replies,
            )
        [digest] = slack.messages("C1")
        assert "Acme" in digest.plain
    assert query(database, "SELECT id FROM outbox WHERE sent_at IS NULL") == []
    assert len(query(database, "SELECT id FROM digest_run")) == 1
    await every_answer_stored_once(database, founders)


async def kill_halfway(
    database: str,
    tg: FakeTelegramServer,
    slack: FakeSlack,
    platforms: Platforms,
    founders: list[Founder],
    http: aiohttp.ClientSession,
    a: Running,
    b: Running,
) -> None:
    """Kill replica A while it holds committed but unsent replies and has requests in flight; continue on B."""
    [(watermark,)] = query(database, "SELECT max(id) FROM outbox")
    tg.fail_next("sendMessage", "Bad Gateway", status=502, times=10_000)  # nothing reaches a chat from now on
    slack.fail("chat.postMessage", "service_unavailable", times=10_000, status=503)
    taken = delivered(tg, slack)
    committed, in_flight = founders[0::2], founders[1::2]
    for founder in committed:
        request = await platforms.request(founder, founder.steps[KILL_STEP])
        founder.requests.append(request)
        assert await post(http, a.url, request) == 200
    # Telegram did not hear that 200 and sends the update again, to B: nothing changes.
    assert await post(http, b.url, committed[0].requests[-1], retry=True) == 200
    await until(lambda: tried_to_send(tg, slack, committed), "A's first attempts to send the replies", timeout=30)
    attempts = 1
    a.signal(signal.SIGSTOP)
    # Outside the at-least-once window: every message a platform took is marked sent, and none was taken since.
    while query(database, "SELECT id FROM outbox WHERE id <= :w AND sent_at IS NULL", w=watermark) or (
        delivered(tg, slack) != taken
    ):
        assert attempts < 100, "never caught replica A outside the send window"
        a.signal(signal.SIGCONT)
        await asyncio.sleep(0.01)
        a.signal(signal.SIGSTOP)
        attempts += 1
    held = query(
        database, "SELECT claimed_by FROM outbox WHERE sent_at IS NULL AND claimed_until > :now", now=datetime.now(UTC)
    )
    assert len(held) >= len(committed), "A holds the replies it committed"
    print(f"\nreplica A stopped outside the send window at attempt {attempts}, holding {len(held)} unsent replies")
    pending = [(founder, await platforms.request(founder, founder.steps[KILL_STEP])) for founder in in_flight]
    connections = [await post_raw(a.port, request) for _founder, request in pending]
    a.signal(signal.SIGKILL)
    a.process.wait(timeout=10)
    killed = asyncio.get_running_loop().time()
    tg.clear_failures()
    slack.failures.clear()
    for (founder, request), (reader, writer) in zip(pending, connections, strict=True):
        try:
            answer = await reader.read()
        except ConnectionError:
            answer = b""
        writer.close()
        assert answer == b"", "A never answered"
        founder.requests.append(request)
        assert await post(http, b.url, request, retry=True) == 200  # the platform retries, on the survivor
    for founder in founders:
        await until(
            lambda f=founder: len(platforms.replies(f)) > KILL_STEP,
            f"{founder.alias}'s reply after the kill",
            timeout=30,
        )
    print(f"every reply of the kill step sent {asyncio.get_running_loop().time() - killed:.2f} s after the SIGKILL")


def tried_to_send(tg: FakeTelegramServer, slack: FakeSlack, founders: list[Founder]) -> bool:
    """Every founder's chat saw a refused send."""
    tg_chats = {str(r.params.get("chat_id")) for r in tg.requests if r.method == "sendMessage" and r.status != 200}
    slack_chats = {str(r.params.get("channel")) for r in slack.calls("chat.postMessage") if r.error}
    return all(
        str(f.tg_user.id) in tg_chats if f.tg_user else f.slack_person is not None and f.slack_person.dm in slack_chats
        for f in founders
    )


async def every_answer_stored_once(database: str, founders: list[Founder]) -> None:
    storage = SqlStorage(database)
    try:
        interviews = (await storage.export_data()).interviews
    finally:
        await storage.close()
    assert len(interviews) == len(founders)
    for founder in founders:
        [interview] = [i for i in interviews if i.answers.get("alias") == founder.alias]
        assert interview.status == "completed"
        assert interview.answers["segment"] == f"Segment of {founder.alias}"
        assert [(p.text, p.severity) for p in interview.record.pains] == [(f"Pain of {founder.alias}", 4)]
        assert [c.kind for c in interview.record.commitments] == ["time"]
    assert query(database, "SELECT count(*) FROM item")[0][0] == len(founders)
