"""`cusdev run` as a real subprocess in webhook/HTTP mode against the fake Telegram and Slack servers."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import text

from bot.leader import LOCK_KEY
from storage.database import sync_engine
from tests.fake_slack import SIGNING_SECRET, FakeSlack
from tests.fake_telegram import FakeTelegramServer

ROOT = Path(__file__).resolve().parents[2]
SECRET = "replica-webhook-secret"


def query(url: str, sql: str, **params: Any) -> list[Any]:
    """The rows `sql` (with its :params) finds in the database at `url`."""
    engine = sync_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql), params).all())
    finally:
        engine.dispose()


def leader(url: str) -> str | None:
    """The replica (its PGAPPNAME) whose session holds the scheduler's advisory lock."""
    rows = query(
        url,
        "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.objid = :key AND l.granted",
        key=LOCK_KEY,
    )
    return str(rows[0][0]) if rows else None


def bot_env(
    database_url: str,
    port: int,
    tg: FakeTelegramServer | None = None,
    slack: FakeSlack | None = None,
    **extra: str,
) -> dict[str, str]:
    """The environment of a `cusdev run` serving Telegram by webhook and/or Slack over HTTP on `port`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TELEGRAM_", "SLACK_"))}
    env.update(DATABASE_URL=database_url, PORT=str(port), PTB_TIMEDELTA="1", LOG_LEVEL="INFO", PYTHONUNBUFFERED="1")
    if tg is not None:
        env.update(
            TELEGRAM_BOT_TOKEN=tg.token,
            TELEGRAM_API_BASE_URL=tg.base_url,
            TELEGRAM_MODE="webhook",
            PUBLIC_URL=f"http://127.0.0.1:{port}",
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_CHAT_RATE="100",
        )
    if slack is not None:
        env.update(
            SLACK_BOT_TOKEN=slack.token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_BASE_URL=slack.base_url,
            SLACK_CHAT_RATE="100",
        )
    env.update(extra)
    return env


@dataclass
class Running:
    """One `cusdev run` process; its output goes to `log` (read it with `output()`)."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    signalled_at: float = field(default=0.0)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def signal(self, signum: int) -> None:
        self.signalled_at = time.monotonic()
        os.kill(self.process.pid, signum)

    async def exited(self, timeout: float) -> tuple[int, float]:
        """Wait for the exit; the return code and the seconds since the last signal."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} did not exit within {timeout} s:\n{self.output()}")
            await asyncio.sleep(0.02)
        return self.process.returncode, time.monotonic() - self.signalled_at

    def stop(self) -> None:
        """SIGKILL whatever is still running (test clean-up)."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


async def start(name: str, env: dict[str, str], folder: Path) -> Running:
    """Start `cusdev run` and wait until /healthz answers."""
    log = folder / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    running = Running(name, int(env["PORT"]), process, log)
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            if process.poll() is not None:
                raise AssertionError(f"{name} exited at start:\n{running.output()}")
            try:
                async with http.get(running.url + "/healthz") as health:
                    if health.status == 200:
                        return running
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    running.stop()
    raise AssertionError(f"{name} did not come up:\n{running.output()}")
