"""WAL checkpoints run in a worker thread: the WAL stays bounded although the writer no longer checkpoints inline."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.checkpoint import BACKSTOP_PAGES, WalCheckpointer
from storage.database import upgrade
from storage.sql_storage import SqlStorage

PAGE = 4096


def _writer(path: Path) -> sqlite3.Connection:
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, body BLOB)")
    WalCheckpointer.adopt(writer)
    return writer


async def _write(writer: sqlite3.Connection, commits: int, checkpoints: WalCheckpointer | None) -> None:
    for n in range(commits):
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO note (body) VALUES (?)", (bytes([n % 256]) * PAGE,))
        writer.execute("COMMIT")
        if checkpoints is not None:
            checkpoints.committed()
        await asyncio.sleep(0)


def _wal_pages(path: Path) -> int:
    return Path(f"{path}-wal").stat().st_size // PAGE


async def test_the_writer_leaves_checkpoints_to_the_worker(tmp_path: Path) -> None:
    writer = _writer(tmp_path / "alone.db")
    assert writer.execute("PRAGMA wal_autocheckpoint").fetchone() == (BACKSTOP_PAGES,)
    await _write(writer, 600, None)
    # Nobody checkpointed: every commit's pages are still in the WAL (SQLite would have reset it at 1,000 pages).
    assert _wal_pages(tmp_path / "alone.db") >= 1200
    writer.close()


async def test_background_checkpoints_keep_the_wal_small(tmp_path: Path) -> None:
    path = tmp_path / "checkpointed.db"
    writer = _writer(path)
    checkpoints = WalCheckpointer(str(path), every=20)
    for _burst in range(30):  # founders answer in bursts; between them the worker's checkpoint completes
        await _write(writer, 20, checkpoints)
        await checkpoints.idle()
    await checkpoints.close()
    # Each completed checkpoint lets the next commit start the WAL over: it holds about one burst, not all 600.
    assert _wal_pages(path) < 200
    assert writer.execute("SELECT count(*) FROM note").fetchone() == (600,)
    writer.close()


async def test_storage_checkpoints_in_the_background_and_loses_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cusdev.db'}"
    upgrade(url)
    storage = SqlStorage(url)
    at = datetime(2026, 12, 1, 9, tzinfo=UTC)
    for n in range(450):
        async with storage.transaction() as uow:
            assert await uow.events.claim(f"event-{n}", at)
    await storage.close()
    with sqlite3.connect(tmp_path / "cusdev.db") as check:
        assert check.execute("SELECT count(*) FROM processed_event").fetchone() == (450,)


@pytest.mark.parametrize("every", [1, 3])
async def test_a_running_checkpoint_is_not_started_twice(tmp_path: Path, every: int) -> None:
    path = tmp_path / "once.db"
    writer = _writer(path)
    checkpoints = WalCheckpointer(str(path), every=every)
    writer.execute("INSERT INTO note (body) VALUES (x'00')")
    started = []
    for _ in range(every * 3):  # no await in between: the first checkpoint is still running
        checkpoints.committed()
        started.append(checkpoints._running)
    assert len({id(future) for future in started if future is not None}) == 1
    await checkpoints.close()
    writer.close()
