"""The delivery relay on real SQLite and PostgreSQL: claims, order per chat, leases, durable marks."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.delivery.relay import Relay
from core.app.ports import Claim, OutboxMessage
from core.messages import Reply, Span, ToChat, ToUser
from storage import tables as t
from storage.executor import aware
from storage.sql_storage import SqlStorage
from tests.fakes import FakeClock
from tests.waiting import until


class RecordingSender:
    """A Sender that records what it was given (optionally slowly, or never finishing)."""

    def __init__(self, delay: float = 0.0, hang: bool = False) -> None:
        self.sent: list[OutboxMessage] = []
        self.delay, self.hang = delay, hang

    async def send(self, message: OutboxMessage) -> None:
        if self.hang:
            await asyncio.Event().wait()
        if self.delay:
            await asyncio.sleep(random.uniform(0, self.delay))
        self.sent.append(message)


class GatedSender(RecordingSender):
    """A Sender whose sends wait until the test opens the gate."""

    def __init__(self, gate: asyncio.Event) -> None:
        super().__init__()
        self.gate = gate

    async def send(self, message: OutboxMessage) -> None:
        await self.gate.wait()
        await super().send(message)


def text(n: int) -> Reply:
    return Reply((Span(f"message {n}"),))


async def enqueue(storage: SqlStorage, chat: str, count: int, start: int = 0, platform: str = "telegram") -> list[int]:
    """What a scheduler or a CLI command does: commit messages without handing them to any relay."""
    clock = FakeClock()
    async with storage.transaction() as uow:
        return await uow.outbox.enqueue(
            ToChat(platform, "bot", chat), [text(n) for n in range(start, start + count)], clock.now()
        )


@contextlib.asynccontextmanager
async def running(relay: Relay) -> AsyncIterator[asyncio.Event]:
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        yield stop
    finally:
        stop.set()
        await task
        await relay.drain(timeout=1.0)


async def sent_at(storage: SqlStorage, ids: list[int]) -> list[object]:
    async with storage.transaction() as uow:
        rows = await uow.execute(
            select(t.Outbox.id, t.Outbox.sent_at).where(t.Outbox.id.in_(ids)).order_by(t.Outbox.id)
        )  # type: ignore[union-attr, arg-type]
        return [row.sent_at for row in rows]


async def test_a_message_enqueued_elsewhere_is_delivered_within_a_second(storage: SqlStorage) -> None:
    sender = RecordingSender()
    relay = Relay("telegram", storage, sender, FakeClock())
    async with running(relay):
        await asyncio.sleep(0.05)  # the relay is idle, waiting on its poll
        ids = await enqueue(storage, "42", 3)
        await until(lambda: len(sender.sent) == 3, "three messages sent", timeout=1.0)
    assert [m.id for m in sender.sent] == ids
    assert all(m.destination == ToChat("telegram", "bot", "42") for m in sender.sent)
    assert all(at is not None for at in await sent_at(storage, ids))


async def test_sent_marks_are_durable_as_soon_as_the_send_returns(storage: SqlStorage) -> None:
    sender = RecordingSender()
    relay = Relay("telegram", storage, sender, FakeClock())
    ids = await enqueue(storage, "7", 2)
    await relay.poll_once()
    await until(lambda: not relay.busy, "the relay to be idle", timeout=5.0)
    # No flush, no later transaction: a kill -9 now would send nothing again.
    assert all(at is not None for at in await sent_at(storage, ids))
    assert await storage.unsent("telegram") == []


async def test_the_fast_path_claims_in_the_same_transaction_and_polling_skips_it(storage: SqlStorage) -> None:
    clock = FakeClock()
    sender = RecordingSender()
    relay = Relay("telegram", storage, sender, clock)
    async with storage.transaction() as uow:
        ids = await uow.outbox.enqueue(ToChat("telegram", "bot", "5"), [text(1)], clock.now(), relay.claim())
    other = Relay("telegram", storage, RecordingSender(), clock)
    taken = await storage.claim_unsent("telegram", other.claim(), clock.now())
    if storage.dialect == "postgresql":
        assert taken == []  # held by the relay whose transaction committed it
    else:  # SQLite serves one process: a hold by another owner can only be a dead process's
        assert [m.id for m in taken] == ids
    relay.submit(await storage.unsent("telegram"))
    await until(lambda: not relay.busy, "the relay to be idle", timeout=5.0)
    assert [m.id for m in sender.sent] == ids


async def test_a_chat_with_messages_waiting_is_not_claimed_past_them(storage: SqlStorage) -> None:
    clock = FakeClock()
    relay = Relay("telegram", storage, RecordingSender(), clock)
    waiting = await enqueue(storage, "9", 2)
    async with storage.transaction() as uow:
        [new] = await uow.outbox.enqueue(ToChat("telegram", "bot", "9"), [text(3)], clock.now(), relay.claim())
    claimed = await storage.claim_unsent("telegram", relay.claim(), clock.now())
    assert [m.id for m in claimed] == [*waiting, new]  # the new one went to the back of the chat's queue


async def test_a_reply_committed_behind_another_relays_messages_is_sent_once_after_them(storage: SqlStorage) -> None:
    """Two replicas: A holds a chat's unsent message; B commits the next reply of that chat. B must not send it at
    once (before A's, and while a poll of A could claim it too): it goes by polling, once, after A's."""
    clock = FakeClock()
    a_sender, b_sender = RecordingSender(), RecordingSender()
    a, b = Relay("telegram", storage, a_sender, clock), Relay("telegram", storage, b_sender, clock)
    async with storage.transaction() as uow:
        [first] = await uow.outbox.enqueue(ToChat("telegram", "bot", "9"), [text(1)], clock.now(), a.claim())
        [second], claimed = await uow.outbox.enqueue_claiming(
            ToChat("telegram", "bot", "9"), [text(2)], clock.now(), b.claim()
        )
    assert claimed is False
    b.submit([OutboxMessage(second, ToChat("telegram", "bot", "9"), text(2), claimed)])
    assert not b.busy and b_sender.sent == []
    a.submit([OutboxMessage(first, ToChat("telegram", "bot", "9"), text(1))])
    await until(lambda: not a.busy, "relay A to be idle", timeout=5.0)
    await a.drain()
    for relay in (b, a):  # whichever polls first takes it; the other finds nothing to take
        await relay.poll_once()
        await until(lambda r=relay: not r.busy, "the relay to be idle", timeout=5.0)
    assert [m.id for m in a_sender.sent + b_sender.sent] == [first, second]


async def test_a_person_directly_is_one_queue_of_its_own(storage: SqlStorage) -> None:
    clock = FakeClock()
    async with storage.transaction() as uow:
        await uow.outbox.enqueue(ToUser("telegram", "bot", "77"), [text(1)], clock.now())
    sender = RecordingSender()
    relay = Relay("telegram", storage, sender, clock)
    await relay.poll_once()
    await until(lambda: not relay.busy, "the relay to be idle", timeout=5.0)
    assert [m.destination for m in sender.sent] == [ToUser("telegram", "bot", "77")]


async def test_drain_gives_the_leases_back(storage: SqlStorage) -> None:
    clock = FakeClock()
    relay = Relay("telegram", storage, RecordingSender(hang=True), clock)
    ids = await enqueue(storage, "3", 2)
    await relay.poll_once()
    await relay.drain(timeout=0.1)
    async with storage.transaction() as uow:
        rows = (await uow.execute(select(t.Outbox.claimed_by, t.Outbox.sent_at).where(t.Outbox.id.in_(ids)))).all()  # type: ignore[union-attr]
    assert rows and all(row.claimed_by is None and row.sent_at is None for row in rows)
    sender = RecordingSender()
    successor = Relay("telegram", storage, sender, clock)
    await successor.poll_once()
    await until(lambda: not successor.busy, "the successor to be idle", timeout=5.0)
    assert [m.id for m in sender.sent] == ids


async def test_a_legacy_outbox_row_still_loads_and_goes_to_its_chat(storage: SqlStorage) -> None:
    legacy = {"spans": [["Old reply", "bold"]], "choices": [[["Yes", "3|y"]]], "actions": [], "replaces_prompt": False}
    async with storage.transaction() as uow:
        await uow.execute(
            t.Outbox.__table__.insert().values(  # type: ignore[attr-defined]
                platform="telegram", tenant="bot", chat="11", payload=legacy, created_at=FakeClock().now()
            )
        )
    [message] = await storage.unsent("telegram")
    assert message.destination == ToChat("telegram", "bot", "11")
    assert message.reply.plain_text == "Old reply" and message.reply.flat_choices()[0].payload == "3|y"


async def test_an_unreadable_row_is_set_aside_and_does_not_block_its_chat(storage: SqlStorage) -> None:
    async with storage.transaction() as uow:
        await uow.execute(
            t.Outbox.__table__.insert().values(  # type: ignore[attr-defined]
                platform="telegram", tenant="bot", chat="12", payload={"v": 99}, created_at=FakeClock().now()
            )
        )
    good = await enqueue(storage, "12", 1)
    sender = RecordingSender()
    relay = Relay("telegram", storage, sender, FakeClock())
    await relay.poll_once()
    await until(lambda: not relay.busy, "the relay to be idle", timeout=5.0)
    assert [m.id for m in sender.sent] == good
    assert await storage.unsent("telegram") == []


@pytest.mark.postgres
async def test_two_replicas_never_send_one_message_twice_and_keep_each_chats_order(postgres_database: str) -> None:
    import psycopg

    with psycopg.connect(postgres_database, autocommit=True) as connection:
        connection.execute("TRUNCATE outbox RESTART IDENTITY")
    replicas = [SqlStorage(postgres_database), SqlStorage(postgres_database)]
    senders = [RecordingSender(delay=0.003), RecordingSender(delay=0.003)]
    relays = [
        Relay("telegram", s, sender, FakeClock(), poll_seconds=0.01)
        for s, sender in zip(replicas, senders, strict=True)
    ]
    expected: list[int] = []
    try:
        async with running(relays[0]), running(relays[1]):
            for batch in range(6):
                for chat in range(15):
                    expected += await enqueue(replicas[batch % 2], str(chat), 3, start=batch * 3)
            await until(lambda: sum(len(s.sent) for s in senders) >= len(expected), "every message sent", timeout=30)
            await asyncio.sleep(0.1)
    finally:
        for store in replicas:
            await store.close()
    sent = [m for sender in senders for m in sender.sent]
    assert sorted(m.id for m in sent) == sorted(expected)  # each exactly once
    assert all(senders_sent for senders_sent in (senders[0].sent, senders[1].sent))  # both replicas did work
    for chat in range(15):  # within a chat, ids went out ascending even across replicas
        order = sorted((m for m in sent if m.destination == ToChat("telegram", "bot", str(chat))), key=lambda m: m.id)
        assert [m.reply.plain_text for m in order] == [f"message {n}" for n in range(18)]


@pytest.mark.postgres
async def test_a_dead_replicas_messages_are_taken_over_when_its_lease_runs_out(postgres_database: str) -> None:
    import psycopg

    with psycopg.connect(postgres_database, autocommit=True) as connection:
        connection.execute("TRUNCATE outbox RESTART IDENTITY")
    first, second = SqlStorage(postgres_database), SqlStorage(postgres_database)
    clock = FakeClock()
    try:
        ids = await enqueue(first, "21", 2)
        dead = await first.claim_unsent("telegram", Claim("dead", clock.now() + timedelta(seconds=30)), clock.now())
        assert [m.id for m in dead] == ids
        sender = RecordingSender()
        relay = Relay("telegram", second, sender, clock)
        await relay.poll_once()
        assert sender.sent == [] and not relay.busy  # the lease still holds
        clock.advance(timedelta(seconds=31))
        await relay.poll_once()
        await until(lambda: not relay.busy, "the relay to be idle", timeout=5.0)
        assert [m.id for m in sender.sent] == ids
    finally:
        await first.close()
        await second.close()


async def test_a_sent_mark_rides_along_with_the_next_transaction_and_survives_its_rollback(tmp_path: object) -> None:
    storage = SqlStorage(f"sqlite:///{tmp_path}/marks.db")
    from storage.database import upgrade

    upgrade(storage.url)
    try:
        [first, second] = await enqueue(storage, "8", 2)
        holding, release = asyncio.Event(), asyncio.Event()

        async def busy_writer() -> None:
            async with storage.transaction():
                holding.set()
                await release.wait()

        async def failing_writer() -> None:
            with contextlib.suppress(RuntimeError):
                async with storage.transaction():
                    raise RuntimeError("the update's handling failed")

        writer = asyncio.create_task(busy_writer())
        await holding.wait()
        queued = asyncio.create_task(failing_writer())  # queued behind the lock holder
        await asyncio.sleep(0)
        marking = asyncio.create_task(storage.mark_sent([first], FakeClock().now()))
        await asyncio.sleep(0)
        release.set()
        await asyncio.wait_for(asyncio.gather(writer, queued, marking), 5)
        # the queued transaction took the mark, rolled back, and the mark was written again, durably
        assert [m.id for m in await storage.unsent("telegram")] == [second]
        await storage.mark_sent([second], FakeClock().now())
        assert await storage.unsent("telegram") == []
    finally:
        await storage.close()


async def test_a_sent_mark_carried_by_a_failing_update_is_still_written(storage: SqlStorage) -> None:
    [first, second] = await enqueue(storage, "9", 2)

    async def failing_update() -> None:
        with contextlib.suppress(RuntimeError):
            async with storage.transaction():  # takes the waiting mark with it (on PostgreSQL too)
                await asyncio.sleep(0.02)
                raise RuntimeError("the update's handling failed")

    marking = asyncio.create_task(storage.mark_sent([first], FakeClock().now()))
    failing = asyncio.create_task(failing_update())
    await asyncio.wait_for(asyncio.gather(marking, failing), 5)
    assert [m.id for m in await storage.unsent("telegram")] == [second]


async def held_by(storage: SqlStorage, ids: list[int]) -> list[tuple[str | None, bool]]:
    """Who holds each message, and whether it was marked sent."""
    async with storage.transaction() as uow:
        rows = await uow.execute(
            select(t.Outbox.claimed_by, t.Outbox.sent_at).where(t.Outbox.id.in_(ids)).order_by(t.Outbox.id)  # type: ignore[union-attr]
        )
        return [(row.claimed_by, row.sent_at is not None) for row in rows]


async def test_drain_gives_back_a_reply_committed_for_it_that_never_reached_it(storage: SqlStorage) -> None:
    """An update cut off after its commit (a request cancelled at shutdown) never hands its replies to the relay:
    they are the relay's all the same, and given back with the rest."""
    clock = FakeClock()
    relay = Relay("telegram", storage, RecordingSender(), clock)
    async with storage.transaction() as uow:
        ids = await uow.outbox.enqueue(ToChat("telegram", "bot", "8"), [text(1)], clock.now(), relay.claim())
    await relay.drain(timeout=0.1)
    assert await held_by(storage, ids) == [(None, False)]


async def leases(storage: SqlStorage, ids: list[int]) -> list[datetime]:
    """Until when each message is held."""
    async with storage.transaction() as uow:
        rows = await uow.execute(select(t.Outbox.claimed_until).where(t.Outbox.id.in_(ids)))  # type: ignore[union-attr]
        return [aware(row.claimed_until) for row in rows]


class MarksFail(SqlStorage):
    """The database takes no sent-marks (it went away between the send and its mark)."""

    async def mark_sent(self, ids: object, at: object) -> None:
        raise ConnectionError("the database went away")


async def test_a_message_sent_whose_mark_was_not_written_keeps_its_lease(db_url: str) -> None:
    """Given back, another replica would send it again at once; kept, only after the lease (the at-least-once
    window), while the database may come back and take the mark."""
    storage = MarksFail(db_url)
    try:
        clock, sender = FakeClock(), RecordingSender()
        relay = Relay("telegram", storage, sender, clock)
        async with storage.transaction() as uow:
            ids = await uow.outbox.enqueue(ToChat("telegram", "bot", "9"), [text(1)], clock.now(), relay.claim())
        relay.submit(await storage.unsent("telegram"))
        await until(lambda: sender.sent, "a message sent", timeout=5.0)
        await relay.drain(timeout=0.5, flush=0.2)
        assert await held_by(storage, ids) == [(relay.owner, False)]
    finally:
        await storage.close()


async def test_queued_messages_keep_their_lease_while_the_drain_sends_them(postgres_database: str) -> None:
    """Lease renewal stops with the poll loop; a drain longer than a short lease must not let another replica
    take (and send again) what this one is still sending."""
    import psycopg

    with psycopg.connect(postgres_database, autocommit=True) as connection:
        connection.execute("TRUNCATE outbox RESTART IDENTITY")
    first, second = SqlStorage(postgres_database), SqlStorage(postgres_database)
    clock, go = FakeClock(), asyncio.Event()
    sender = GatedSender(go)
    try:
        relay = Relay("telegram", first, sender, clock, lease=timedelta(seconds=1))
        ids = await enqueue(first, "30", 2)
        await relay.poll_once()
        draining = asyncio.create_task(relay.drain(timeout=5.0))
        claimed_with = clock.now() + timedelta(seconds=1)

        async def extended() -> bool:  # the drain extends them before it waits on the queue
            return min(await leases(first, ids)) > claimed_with

        await until(extended, "the drain to extend the leases", timeout=5.0)
        clock.advance(timedelta(seconds=3))  # past the 1 s lease the messages were claimed with
        other = Relay("telegram", second, RecordingSender(), clock)
        assert await second.claim_unsent("telegram", other.claim(), clock.now()) == []
        go.set()
        await draining
        assert [m.id for m in sender.sent] == ids
    finally:
        await first.close()
        await second.close()


async def test_a_reply_handed_over_after_the_drain_began_stays_in_the_outbox_for_the_next_process(
    storage: SqlStorage,
) -> None:
    """A handler that outlived the intake's stop must not start a send the drain does not wait for (and whose
    lease the drain gives back): its reply is left in the outbox, free for another process."""
    clock, go = FakeClock(), asyncio.Event()
    sender = GatedSender(go)
    relay = Relay("telegram", storage, sender, clock)
    async with storage.transaction() as uow:
        first = await uow.outbox.enqueue(ToChat("telegram", "bot", "40"), [text(1)], clock.now(), relay.claim())
    relay.submit(await storage.unsent("telegram"))
    draining = asyncio.create_task(relay.drain(timeout=5.0))
    await until(lambda: relay.closing, "the drain to begin", timeout=5.0)
    async with storage.transaction() as uow:
        late = await uow.outbox.enqueue(ToChat("telegram", "bot", "41"), [text(2)], clock.now(), relay.claim())
    relay.submit([m for m in await storage.unsent("telegram") if m.id in late])
    go.set()
    await draining
    assert [m.id for m in sender.sent] == first
    assert await held_by(storage, late) == [(None, False)]  # given back: the next process sends it at once
