"""Pruning old rows in bounded batches: processed event ids by when they were handled, outbox messages by when they
were sent (an unsent one never: its `sent_at` is NULL). Both are range scans of an index (migration 0018).

Nothing references either table (digest periods and reminder days are rows of their own), so a row goes whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, func, select
from sqlmodel import col

from storage import tables as t
from storage.executor import Executor, utc

EVENTS = (t.ProcessedEvent, col(t.ProcessedEvent.event_id), col(t.ProcessedEvent.processed_at))
SENT = (t.Outbox, col(t.Outbox.id), col(t.Outbox.sent_at))


async def delete_oldest(execute: Executor, which: tuple[Any, Any, Any], before: datetime, limit: int) -> int:
    """Delete at most `limit` of the oldest rows dated before `before`; how many went."""
    table, key, at = which
    oldest = select(key).where(at < utc(before)).order_by(at).limit(limit)
    result = await execute(delete(table).where(key.in_(oldest)))
    assert isinstance(result, CursorResult)  # a DELETE run through SQLAlchemy: its rowcount is the rows deleted
    return result.rowcount


async def count_older(execute: Executor, which: tuple[Any, Any, Any], before: datetime) -> int:
    """How many rows are dated before `before`."""
    _table, key, at = which
    return int((await execute(select(func.count(key)).where(at < utc(before)))).scalar_one())
