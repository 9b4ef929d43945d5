"""The outbox over SQL: enqueue with the destination on the row, claim by lease, renew, release, mark sent."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, exists, select, update
from sqlalchemy.orm import aliased
from sqlmodel import col

from core.app.ports import Claim, OutboxMessage
from core.messages import Destination, Reply, ToChat, chat_of
from core.messages.stored import StoredMessageInvalid, dump_message, load_message
from storage import tables as t
from storage.executor import Executor
from storage.statements import hot_statements

log = logging.getLogger(__name__)
CHAT_LIMIT = 50
"""Messages of one chat claimed at once (a group under its flood limit can pile up more)."""


class SqlOutbox:
    """Implements core.app.ports.OutboxRepository on one open transaction."""

    def __init__(self, execute: Executor, dialect: str) -> None:
        self.execute, self.dialect = execute, dialect
        self.hot = hot_statements(dialect)

    async def enqueue(
        self, destination: Destination, replies: Sequence[Reply], at: datetime, claim: Claim | None = None
    ) -> list[int]:
        """Put messages in the outbox, claimed for the caller when nothing of that chat waits before them."""
        return (await self.enqueue_claiming(destination, replies, at, claim))[0]

    async def enqueue_claiming(
        self, destination: Destination, replies: Sequence[Reply], at: datetime, claim: Claim | None
    ) -> tuple[list[int], bool]:
        """Put messages in the outbox; claim them for the caller only when nothing of that chat waits before them
        that the caller does not hold (what it holds it delivers first, in its own queue). Their ids, and whether
        they were claimed."""
        platform, tenant, chat = destination.platform, destination.tenant, chat_of(destination)
        if claim is not None:
            backlog = {"p_platform": platform, "p_tenant": tenant, "p_chat": chat, "p_owner": claim.owner}
            waiting = await self.execute(self.hot.chat_backlog, backlog)
            if waiting.first() is not None:  # keep the chat's order: the relay takes them after the earlier ones
                claim = None
        ids = []
        for reply in replies:
            params = {
                "p_platform": platform,
                "p_tenant": tenant,
                "p_chat": chat,
                "p_kind": destination.kind,
                "p_payload": dump_message(destination, reply),
                "p_at": at,
                "p_claimed_by": claim.owner if claim else None,
                "p_claimed_until": claim.until if claim else None,
            }
            ids.append(int((await self.execute(self.hot.enqueue, params)).scalar_one()))
        return ids, claim is not None

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        """Mark messages delivered."""
        if ids:
            await self.execute(self.hot.mark_sent, [{"p_id": i, "p_at": at} for i in ids])

    async def unsent(self, platform: str, limit: int) -> list[OutboxMessage]:
        """Messages not marked sent, oldest first, whoever holds them."""
        statement = (
            _columns()
            .where(col(t.Outbox.platform) == platform, col(t.Outbox.sent_at).is_(None))
            .order_by(col(t.Outbox.id))
            .limit(limit)
        )
        return _messages((await self.execute(statement)).all())[0]

    async def claim(self, platform: str, claim: Claim, now: datetime, limit: int) -> list[OutboxMessage]:
        """Claim the queues of chats whose first unsent message nobody holds; oldest chats first."""
        params = {"p_platform": platform, "p_now": now, "p_owner": claim.owner, "p_limit": limit}
        claimed: list[OutboxMessage] = []
        for tenant, chat in (await self.execute(_heads(self.dialect), params)).all():
            in_chat = and_(
                col(t.Outbox.platform) == platform,
                col(t.Outbox.tenant) == tenant,
                col(t.Outbox.chat) == chat,
                col(t.Outbox.sent_at).is_(None),
                _free(t.Outbox, now, claim.owner, self.dialect),
            )
            ids = (
                await self.execute(select(col(t.Outbox.id)).where(in_chat).order_by(col(t.Outbox.id)).limit(CHAT_LIMIT))
            ).all()
            wanted = [row[0] for row in ids]
            await self.execute(
                update(t.Outbox)
                .where(col(t.Outbox.id).in_(wanted))
                .values(claimed_by=claim.owner, claimed_until=claim.until)
            )
            rows = (await self.execute(_columns().where(col(t.Outbox.id).in_(wanted)).order_by(col(t.Outbox.id)))).all()
            messages, unreadable = _messages(rows)
            await self.mark_sent(unreadable, now)  # never deliverable: do not hold the chat's queue up
            claimed.extend(messages)
        return claimed

    async def renew(self, ids: Sequence[int], claim: Claim) -> None:
        """Extend this relay's lease on messages it still holds."""
        if ids:
            await self.execute(
                update(t.Outbox)
                .where(col(t.Outbox.id).in_(list(ids)), col(t.Outbox.claimed_by) == claim.owner)
                .values(claimed_until=claim.until)
            )

    async def release(self, owner: str, keep: Sequence[int] = ()) -> None:
        """Drop this relay's lease on every unsent message it holds, except `keep` (sent, marks not yet written)."""
        held = [col(t.Outbox.claimed_by) == owner, col(t.Outbox.sent_at).is_(None)]
        if keep:
            held.append(col(t.Outbox.id).not_in(list(keep)))
        await self.execute(update(t.Outbox).where(*held).values(claimed_by=None, claimed_until=None))


@cache
def _heads(dialect: str) -> Any:
    """The chats whose first unsent message nobody holds, oldest first; built once, as every relay polls it twice a
    second (building it cost more than running it on an outbox with nothing waiting)."""
    earlier = aliased(t.Outbox)
    heads = (
        select(col(t.Outbox.tenant), col(t.Outbox.chat))
        .where(
            col(t.Outbox.platform) == bindparam("p_platform"),
            col(t.Outbox.sent_at).is_(None),
            _free(t.Outbox, bindparam("p_now"), bindparam("p_owner"), dialect),
            ~exists().where(
                col(earlier.platform) == col(t.Outbox.platform),
                col(earlier.tenant) == col(t.Outbox.tenant),
                col(earlier.chat) == col(t.Outbox.chat),
                col(earlier.sent_at).is_(None),
                col(earlier.id) < col(t.Outbox.id),
            ),
        )
        .order_by(col(t.Outbox.id))
        .limit(bindparam("p_limit"))
    )
    if dialect == "postgresql":  # another relay holding a head row's lock owns that chat: skip it
        heads = heads.with_for_update(skip_locked=True)
    return heads


def _free(table: Any, now: datetime | BindParameter[Any], owner: str | BindParameter[Any], dialect: str) -> Any:
    """Nobody holds the row, or its lease ran out (the relay that held it died or hung).

    SQLite serves one process, so a row another owner holds was left by a process that is gone.
    """
    free = (table.claimed_until.is_(None)) | (table.claimed_until < now)
    return free | (table.claimed_by != owner) if dialect == "sqlite" else free


def _columns() -> Any:
    return select(
        col(t.Outbox.id), col(t.Outbox.platform), col(t.Outbox.tenant), col(t.Outbox.chat), col(t.Outbox.payload)
    )


def _messages(rows: Sequence[Any]) -> tuple[list[OutboxMessage], list[int]]:
    """The readable messages, and the ids of rows that can never be read (they are logged)."""
    messages, unreadable = [], []
    for row in rows:
        try:
            destination, reply = load_message(row.payload, ToChat(row.platform, row.tenant, row.chat))
        except StoredMessageInvalid:
            log.error("outbox message %s cannot be read and will not be sent", row.id, exc_info=True)
            unreadable.append(row.id)
            continue
        messages.append(OutboxMessage(row.id, destination, reply))
    return messages, unreadable
