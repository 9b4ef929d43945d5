"""What the operator's endpoints read (bot.web): a ping, and the outbox backlog; each one small read on a snapshot."""

from __future__ import annotations

from sqlalchemy import func, literal, select
from sqlmodel import col

from core.app.ports import Backlog
from storage import tables as t
from storage.executor import aware
from storage.sql_storage import SqlStorage
from storage.uow import SqlUnitOfWork


async def _select_one(view: SqlUnitOfWork) -> None:
    (await view.execute(select(literal(1)))).scalar_one()


async def ping(storage: SqlStorage) -> None:
    """Run `SELECT 1` on a connection of the storage's pool; raises when the database does not answer."""
    await storage.read(_select_one)


async def _backlog(view: SqlUnitOfWork) -> list[Backlog]:
    unsent = (
        select(col(t.Outbox.platform), func.count(), func.min(col(t.Outbox.created_at)))
        .where(col(t.Outbox.sent_at).is_(None))
        .group_by(col(t.Outbox.platform))
    )
    rows = (await view.execute(unsent)).all()
    return [(str(platform), int(count), aware(oldest)) for platform, count, oldest in rows]


async def outbox_backlog(storage: SqlStorage) -> list[Backlog]:
    """Unsent outbox messages by platform (the index on platform and sent_at keeps it to the unsent rows)."""
    return await storage.read(_backlog)
