"""Service scenarios that any core.app.ports.Storage must play the same way: the fake's fast tests and the contract.

Each scenario drives InterviewService through the storage and returns what a founder and a relay would observe
(reply texts, the export, outbox deliveries), without storage-made ids, so two storages can be compared whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from core.app.export_data import ExportData
from core.app.housekeeping import Retention, prune_old
from core.app.ports import Claim, Storage
from core.app.service import InterviewService, ServiceSettings
from core.messages import Reply, TextBuilder, ToChat, chat_of
from core.scripts.catalog import builtin_scripts
from tests.fakes import CountingIds, FakeClock, event, mark_delivered

QUICK = [
    "/interview quick",
    "Anna",
    "Dental clinics",
    "Scheduling chaos, she re-books patients by hand daily",
    "4",
    "3",
    "Last month we lost 12 bookings",
    "1",
]
VALIDATION = [
    "/interview validation",
    "Boris",
    "Accountants",
    "Senior accountant",
    "$200/mo",
    "Automated month-end close",
    "He asked for a pilot contract last Tuesday",
    "1",  # has used the product
    "1",  # Sean Ellis: very disappointed
    "$10",
    "$40",
    "$90",
    "$150",
    "4",
    "Paid pilot signed, invoice sent",
    "$1 500",
    "Needs SOC2",
    "1",
    "Accountants lose two days every month-end on reconciliation",
    "1",
    "/done",
    "1",
]


@dataclass
class Founder:
    """One founder talking to the service in a private chat; every message gets a fresh event id."""

    service: InterviewService
    user: str = "alice"
    sent: int = 0
    seen: list[list[str]] = field(default_factory=list)

    async def say(self, text: str, event_id: str | None = None, deliver: bool = True) -> list[str]:
        """Send one line; the plain text of the replies (delivered and marked sent unless told otherwise)."""
        self.sent += 1
        incoming = event(
            "console", "local", f"default/{self.user}", self.user, event_id or f"{self.user}-{self.sent}", text=text,
            user_name=self.user.title(),
        )  # fmt: skip
        messages = await self.service.handle(incoming)
        if deliver:
            await mark_delivered(self.service.storage, messages)
        texts = [message.reply.plain_text for message in messages]
        self.seen.append(texts)
        return texts


def service_over(storage: Storage) -> InterviewService:
    """The service as the tests build it: fake clock and ids, the shipped scripts."""
    return InterviewService(storage, builtin_scripts(), FakeClock(), CountingIds(), ServiceSettings("default", "USD"))


async def interviews_saved(storage: Storage) -> tuple[list[list[str]], ExportData]:
    """A quick and a validation interview (prices, a commitment, a new hypothesis): what was said, what was kept."""
    alice = Founder(service_over(storage))
    for line in QUICK + VALIDATION:
        await alice.say(line)
    return alice.seen, await storage.export_data()


async def event_redelivered(storage: Storage) -> tuple[list[str], list[str], list[str], ExportData]:
    """The same update twice (a platform retry) mid-interview: the second changes nothing and says nothing."""
    alice = Founder(service_over(storage))
    await alice.say("/interview quick")
    first = await alice.say("Anna", event_id="retried")
    again = await alice.say("Anna", event_id="retried")
    after = await alice.say("Dental clinics")
    return first, again, after, await storage.export_data()


async def board_changed(storage: Storage) -> list[list[str]]:
    """A hypothesis added, its status set, a pivot, a funnel count: /status and /hypotheses show them."""
    alice = Founder(service_over(storage))
    for line in [
        "/start",
        "/hypothesis add vp Clinics lose hours to scheduling | 8 of 10 say so",
        "/hypothesis add cs Managers own the calendar",
        "/hypothesis status H1 testing first calls booked",
        "/pivot H2 Owners own the calendar | managers only book",
        "/funnel contacted 40",
        *QUICK,
        "/status",
        "/hypotheses",
        "/hypothesis H3",
    ]:
        await alice.say(line)
    return alice.seen


DISCOVERY_DATED = [
    "/interview discovery", "Anna", "Studios", "Owner", "1", "2026-11-10",
    "a client pays late", "chase", "pay the team", "1", "/done",
    "Last Tuesday she reconciled invoices", "Month-end eats a day", "4", "2", "/done",
    "Excel", "/skip", "/done",
    "1", "1", "2", "1", "/done",  # H1 supported, H2 supported
    "Month-end is a nightmare", "4", "Paid pilot from December", "€500", "1",
]  # fmt: skip


async def evidence_weighed(storage: Storage) -> tuple[list[list[str]], ExportData]:
    """A money commitment in an interview dated twelve days back, linking a revenue and a channel hypothesis."""
    alice = Founder(service_over(storage))
    for line in [
        "/hypothesis add rs Studios pay 50 a month",
        "/hypothesis add channels Studios read design blogs",
        *DISCOVERY_DATED,
        "/hypothesis H1",
        "/hypothesis H2",
    ]:
        await alice.say(line)
    return alice.seen, await storage.export_data()


async def outbox_cycle(storage: Storage) -> list[object]:
    """Replies left unsent, claimed by a relay: held while its lease lasts (renewed), released, marked sent.

    One relay only: on SQLite (one process) a row another relay holds counts as left by a dead process, which
    PostgreSQL does not assume; tests/bot/test_relay.py covers two relays there.
    """
    service = service_over(storage)
    alice, bob = Founder(service), Founder(service, "bob")
    await alice.say("/start", deliver=False)
    await alice.say("/interview quick", deliver=False)
    await bob.say("/start", deliver=False)
    now = FakeClock().now()
    lease = Claim("relay-1", now + timedelta(seconds=30))
    waiting = await storage.unsent("console")
    claimed = await storage.claim_unsent("console", lease, now)
    held = await storage.claim_unsent("console", lease, now)
    await storage.renew([m.id for m in claimed], Claim("relay-1", now + timedelta(minutes=5)))
    still_held = await storage.claim_unsent("console", lease, now + timedelta(minutes=1))
    alices = [m.id for m in claimed if chat_of(m.destination) != "default/bob"]  # as if sent, marks not written
    await storage.release("relay-2", keep=())  # another relay's release gives back nothing of relay-1's
    await storage.release("relay-1", keep=alices)
    released = await storage.claim_unsent("console", lease, now)
    await storage.mark_sent([m.id for m in claimed], now)
    return [
        [(chat_of(m.destination), m.reply.plain_text) for m in waiting],
        [(chat_of(m.destination), m.reply.plain_text) for m in claimed],
        len(held),
        len(still_held),
        [(chat_of(m.destination), m.reply.plain_text) for m in released],
        await storage.unsent("console"),
    ]


async def outbox_order(storage: Storage) -> list[str]:
    """A relay's claim takes a chat's new message when the chat's earlier unsent ones are the relay's own (it sends
    them first, in its queue), and leaves it when an earlier one is nobody's (another relay's is as nobody's on
    SQLite, see outbox_cycle).

    Returns what the relay claims once the first message is sent: only the messages it did not get at once."""
    now = FakeClock().now()
    mine = Claim("relay-1", now + timedelta(seconds=30))

    async def put(chat: str, text: str, claim: Claim | None) -> int:
        async with storage.transaction() as uow:
            [message_id] = await uow.outbox.enqueue(
                ToChat("console", "t", chat), [Reply(TextBuilder().add(text).build())], now, claim
            )
        return message_id

    first = await put("held", "first", mine)
    await put("held", "second, behind my own", mine)
    await put("nobodys", "unclaimed", None)
    await put("nobodys", "behind an unclaimed one", mine)
    await storage.mark_sent([first], now)
    claimed = await storage.claim_unsent("console", mine, now)
    return sorted(m.reply.plain_text for m in claimed)


async def old_rows_pruned(storage: Storage) -> list[object]:
    """Housekeeping 40 days on, keeping 30: old event ids and old sent messages go (a batch of one at a time), an
    unsent message stays however old, and so do the recent ones; a pruned event id redelivered is handled again.

    Returns the dry run's and the run's counts, a second run's, the unsent texts, and the replies to two redeliveries
    (a pruned id, a kept one)."""
    service = service_over(storage)
    clock = service.clock
    assert isinstance(clock, FakeClock)
    alice, bob = Founder(service), Founder(service, "bob")
    await alice.say("/start", event_id="old-1")  # its replies are marked sent at once (mark_delivered's old date)
    await alice.say("/interview quick", event_id="old-2", deliver=False)
    clock.advance(timedelta(days=40))
    await bob.say("/start", event_id="new-1", deliver=False)
    bobs = [m.id for m in await storage.unsent("console") if chat_of(m.destination) == "default/bob"]
    await storage.mark_sent(bobs, clock.now())
    retention = Retention(timedelta(days=30), timedelta(days=30))
    now = clock.now()
    counted = await prune_old(storage, now, retention, dry_run=True)
    pruned = await storage.prune(now - retention.events, now - retention.messages, batch=1)
    again = await prune_old(storage, now, retention)
    unsent = [(chat_of(m.destination), m.reply.plain_text) for m in await storage.unsent("console")]
    return [
        counted,
        pruned,
        again,
        unsent,
        await alice.say("/start", event_id="old-1"),
        await bob.say("/start", event_id="new-1"),
    ]
