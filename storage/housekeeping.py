"""Pruning old rows in bounded batches: processed event ids by when they were handled, outbox messages by when they
were sent (an unsent one never: its `sent_at` is NULL). Both are range scans of an index (migration 0018).

Nothing references either table (digest periods and reminder days are rows of their own), so a row goes whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, func, select
from sqlmodel import col

from storage import tables as t
from storage.executor import Executor, utc

EVENTS = (t.ProcessedEvent, col(t.ProcessedEvent.event_id), col(t.ProcessedEvent.processed_at))
SENT = (t.Outbox, col(t.Outbox.id), col(t.Outbox.sent_at))
PAUSE = 0.01
"""Seconds between two batches: the messages waiting to write, and SQLite's WAL checkpoint, go first."""


async def delete_in_batches(
    transaction: Callable[[], AbstractAsyncContextManager[Any]],
    which: tuple[Any, Any, Any],
    before: datetime,
    batch: int,
) -> int:
    """Delete the rows dated before `before`, `batch` per transaction (the write lock is free between them); how many
    went."""
    total = 0
    while True:
        async with transaction() as uow:
            deleted = await delete_oldest(uow.execute, which, before, batch)
        total += deleted
        if deleted < batch:
            return total
        await asyncio.sleep(PAUSE)


async def delete_oldest(execute: Executor, which: tuple[Any, Any, Any], before: datetime, limit: int) -> int:
    """Delete at most `limit` of the oldest rows dated before `before`; how many went.

    The keys are read first and deleted by key: with `key IN (subquery)` PostgreSQL hashes the subquery and scans
    the whole table for every batch (300 ms a batch at a million rows); a list of keys is a primary-key lookup each.
    """
    table, key, at = which
    keys = [row[0] for row in await execute(select(key).where(at < utc(before)).order_by(at).limit(limit))]
    if not keys:
        return 0
    result = await execute(delete(table).where(key.in_(keys)))
    assert isinstance(result, CursorResult)  # a DELETE run through SQLAlchemy: its rowcount is the rows deleted
    return result.rowcount


async def count_older(execute: Executor, which: tuple[Any, Any, Any], before: datetime) -> int:
    """How many rows are dated before `before`."""
    _table, key, at = which
    return int((await execute(select(func.count(key)).where(at < utc(before)))).scalar_one())
