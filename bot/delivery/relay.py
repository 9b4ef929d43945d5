"""The delivery relay of one platform: claims unsent outbox messages, sends them in order per chat, marks them.

Messages reach it two ways: straight from the adapter that committed them (already claimed in that
transaction, so the next question arrives in milliseconds), and by polling the outbox for anything else
committed anywhere (a scheduler, a CLI command, another replica's leftovers, a crash's leftovers).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.delivery.marks import SentMarks
from bot.logs import log_context
from core.app.ports import Claim, Clock, OutboxMessage, Storage
from core.messages import chat_of

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5
LEASE = timedelta(seconds=60)
"""The default of OUTBOX_LEASE_SECONDS: how long others leave a claimed message alone (renewed every third of it)."""
FLUSH_SECONDS = 0.5
CLAIM_LIMIT = 200
Note = Callable[[], Awaitable[None]]
"""Something to do in a chat's order that the outbox does not hold (marking a pressed button, a short note)."""


class Sender(Protocol):
    """Sends one outbox message to its platform; returns when the platform took it or refused it for good.

    It waits out rate limits and retries network trouble itself; it raises only when cancelled.
    """

    async def send(self, message: OutboxMessage) -> None:
        """Deliver the message (falling back to a plain version if the platform refuses the rich one)."""


@dataclass
class _Queue:
    items: deque[OutboxMessage | Note]
    task: asyncio.Task[None] | None = None


def queue_key(message: OutboxMessage) -> tuple[str, str]:
    """Messages with the same key are delivered one after another, in commit order."""
    return message.destination.tenant, chat_of(message.destination)


class Relay:
    """Claims and delivers one platform's outbox messages; one per platform per process."""

    def __init__(
        self,
        platform: str,
        storage: Storage,
        sender: Sender,
        clock: Clock,
        poll_seconds: float = POLL_SECONDS,
        lease: timedelta = LEASE,
    ) -> None:
        self.platform, self.storage, self.sender, self.clock = platform, storage, sender, clock
        self.poll_seconds, self.lease = poll_seconds, lease
        self.owner = f"{platform}-{uuid.uuid4().hex[:12]}"
        self.marks = SentMarks(storage, clock.now)
        self.queues: dict[tuple[str, str], _Queue] = {}
        self.held: set[int] = set()
        self.unmarked: set[int] = set()
        """Sent, their sent-marks not yet committed: at shutdown these keep their lease (another process sending them
        again at once would repeat them; after the lease it may, which is the at-least-once window)."""
        self._wake = asyncio.Event()
        self.closing = False
        """Set when the drain begins: nothing more is queued (what arrives later stays in the outbox)."""

    def claim(self) -> Claim:
        """A lease for messages committed now and handed straight to this relay."""
        return Claim(self.owner, self.clock.now() + self.lease)

    def submit(self, messages: Iterable[OutboxMessage], before: Note | None = None) -> None:
        """Queue messages (and a note to run first, in the same chat's order) for delivery.

        Messages committed behind ones this relay does not hold (another replica's, or nobody's yet) are not taken:
        polling claims them after those, so they go once and in order; the next poll is asked for now."""
        given = list(messages)
        if self.closing:  # a handler outlived the intake's stop: its rows are given back by owner, or wait a lease
            log.info("%d messages handed over after the drain began; left in the outbox", len(given))
            return
        if not all(m.claimed for m in given):
            self.poke()
        if before is not None and given:
            self._enqueue(queue_key(given[0]), before)
        for message in [m for m in given if m.claimed and m.id not in self.held and m.id not in self.unmarked]:
            self.held.add(message.id)
            self._enqueue(queue_key(message), message)

    def note(self, key: tuple[str, str], note: Note) -> None:
        """Run a note in a chat's delivery order (nothing is stored or marked for it); none once the drain began."""
        if not self.closing:
            self._enqueue(key, note)

    def poke(self) -> None:
        """Look at the outbox now rather than at the next poll."""
        self._wake.set()

    def _enqueue(self, key: tuple[str, str], item: OutboxMessage | Note) -> None:
        queue = self.queues.setdefault(key, _Queue(deque()))
        queue.items.append(item)
        if queue.task is None or queue.task.done():
            queue.task = asyncio.create_task(self._deliver(key, queue))

    async def _deliver(self, key: tuple[str, str], queue: _Queue) -> None:
        while queue.items:
            item = queue.items[0]
            # The queue's task was started inside some update's context: each send carries its own instead.
            with log_context(platform=self.platform, event=None, team=None, outbox=getattr(item, "id", None)):
                if isinstance(item, OutboxMessage):
                    await self.sender.send(item)
                    self.held.discard(item.id)  # sent: never given back, even if its mark cannot be written
                    self.unmarked.add(item.id)
                    await self.marks.mark(item.id)
                    self.unmarked.discard(item.id)
                    log.debug("outbox message sent")
                else:
                    try:
                        await item()
                    except Exception:  # a cosmetic note must never hold up the replies behind it
                        log.warning("a delivery note failed", exc_info=True)
            queue.items.popleft()
        if self.queues.get(key) is queue:
            del self.queues[key]

    async def poll_once(self) -> None:
        """Claim what nobody holds (leftovers of a crash, messages enqueued elsewhere) and queue it."""
        self.submit(await self.storage.claim_unsent(self.platform, self.claim(), self.clock.now(), CLAIM_LIMIT))

    async def run(self, stop: asyncio.Event) -> None:
        """Poll the outbox until stopped: claim what nobody holds, renew the leases of what is held."""
        renew_every = self.lease.total_seconds() / 3
        last_renewal = asyncio.get_running_loop().time()
        while not stop.is_set():
            try:
                await self.poll_once()
                now = asyncio.get_running_loop().time()
                if self.held and now - last_renewal >= renew_every:
                    await self.storage.renew(sorted(self.held), self.claim())
                    last_renewal = now
            except Exception:  # the database is busy or away: try again at the next poll
                log.warning("could not claim outbox messages", exc_info=True)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_first(stop, self._wake), self.poll_seconds)

    async def drain(self, timeout: float | None = None, flush: float = FLUSH_SECONDS) -> None:
        """Let queued deliveries finish; past the timeout cancel them. Then write the sent-marks and give back the
        leases of everything this relay claimed and did not send (each step for at most `flush` seconds), so another
        process sends it at once.

        Leases are given back by owner, not by the ids queued here: a reply committed by an update whose handling
        was cut off before it reached the relay is this relay's too. The leases of what is queued are first
        extended past the drain (renewal stopped with the poll loop), so a short OUTBOX_LEASE_SECONDS cannot run
        out while the queue still sends (by one lease when there is no timeout).

        From its start nothing more is queued: a reply handed over later stays in the outbox, its lease given back
        here when it was committed before the release, else held until it runs out (sent late, never twice). A
        transaction still open during the release commits its rows claimed all the same: those wait out the lease."""
        self.closing = True
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        tasks = [queue.task for queue in self.queues.values() if queue.task is not None]
        if tasks:
            await self._hold_through(timeout, flush)
            left = None if deadline is None else max(deadline - loop.time(), 0.0)
            _done, pending = await asyncio.wait(tasks, timeout=left)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        try:
            await asyncio.wait_for(self.marks.close(), flush)
        except TimeoutError:  # the database is away: those messages go again after their lease (at-least-once)
            log.warning("could not write the last sent-marks before shutting down")
        try:
            await asyncio.wait_for(self.storage.release(self.owner, keep=sorted(self.unmarked)), flush)
        except Exception:  # their leases run out instead (OUTBOX_LEASE_SECONDS)
            log.warning("could not give back the leases of unsent messages", exc_info=True)
        self.held.clear()

    async def _hold_through(self, timeout: float | None, flush: float) -> None:
        if not self.held:
            return
        until = self.clock.now() + max(self.lease, timedelta(seconds=(timeout or 0) + 2 * flush))
        try:
            await asyncio.wait_for(self.storage.renew(sorted(self.held), Claim(self.owner, until)), flush)
        except Exception:  # the leases may run out while sending: another process may then send one of them too
            log.warning("could not extend the leases of %d queued messages", len(self.held), exc_info=True)

    @property
    def busy(self) -> bool:
        """True while anything is queued or being sent."""
        return bool(self.queues)


async def _first(stop: asyncio.Event, wake: asyncio.Event) -> None:
    """Return when either event is set."""
    waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
