"""Putting one reply in the outbox, claimed for the caller's relay when its chat lets it be (see enqueue_claiming)."""

from __future__ import annotations

from datetime import datetime

from core.app.ports import Claim, OutboxMessage, UnitOfWork
from core.messages import Destination, Reply


async def queue_one(
    uow: UnitOfWork, destination: Destination, reply: Reply, now: datetime, claim: Claim | None
) -> OutboxMessage:
    """Enqueue the reply in this transaction; the message to hand the relay (marked claimed or not)."""
    [message_id], claimed = await uow.outbox.enqueue_claiming(destination, [reply], now, claim)
    return OutboxMessage(message_id, destination, reply, claimed)
