"""`cusdev run` as a real process leads the scheduler and prunes, as soon as it leads, event ids and sent messages
past their retention (EVENT_RETENTION_DAYS, OUTBOX_RETENTION_DAYS), saying so in its log; an unsent message stays."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.database import upgrade
from tests.fake_telegram import FakeTelegramServer, Limits
from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]


def old_rows(database: Path, days: int) -> None:
    """Three event ids and two sent messages `days` old, and one unsent as old (a chat nobody is in)."""
    at = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(database) as connection:
        connection.executemany("INSERT INTO processed_event VALUES (?, ?)", [(f"tg:old{n}", at) for n in range(3)])
        connection.executemany(
            "INSERT INTO outbox (platform, tenant, chat, kind, payload, created_at, sent_at) "
            "VALUES ('slack', 'T0', 'C0', 'chat', '{}', ?, ?)",
            [(at, at), (at, at), (at, None)],
        )
    connection.close()


def counts(database: Path) -> tuple[int, int, int]:
    with sqlite3.connect(database) as connection:
        events = connection.execute("SELECT count(*) FROM processed_event WHERE event_id LIKE 'tg:old%'").fetchone()
        sent = connection.execute("SELECT count(*) FROM outbox WHERE platform = 'slack' AND sent_at IS NOT NULL")
        unsent = connection.execute("SELECT count(*) FROM outbox WHERE platform = 'slack' AND sent_at IS NULL")
        found = (events[0], sent.fetchone()[0], unsent.fetchone()[0])
    connection.close()
    return found


@pytest.mark.slow
async def test_the_running_bot_prunes_what_is_past_retention_and_logs_it(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    upgrade(f"sqlite:///{database}")
    old_rows(database, days=8)
    log = tmp_path / "bot.log"
    async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg:
        alice = tg.add_user("Alice")
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE_URL": tg.base_url,
            "PTB_TIMEDELTA": "1",
            "LOG_LEVEL": "INFO",
            "EVENT_RETENTION_DAYS": "7",
            "OUTBOX_RETENTION_DAYS": "7",
        }
        with log.open("w") as output:
            bot = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path, env=env, stderr=output)
        try:
            await tg.wait_for_request("getUpdates", timeout=20)
            await tg.inject_text(alice, "/start")
            await tg.wait_for_message(alice, timeout=10)
            # the log is a file: look at it every 0.1 s, for 20 s at most
            await until(lambda: "housekeeping pruned" in log.read_text(), "the prune log line", timeout=20, every=0.1)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=20)
    text = log.read_text()
    assert "housekeeping pruned 3 processed event ids older than 7 days" in text, text
    assert "and 2 sent outbox messages older than 7 days" in text
    assert counts(database) == (0, 0, 1)  # the unsent message stays, however old
