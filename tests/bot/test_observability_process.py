"""`cusdev run` as operators run it: JSON log lines that never hold a secret or an answer, /readyz, and /metrics
counting real traffic (an interview, a redelivered update, a sticker, a 429) — a real process against the fake
Bot API in webhook mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.fake_telegram import FakeTelegramServer, FakeUser, Limits, SentMessage
from tests.metrics_support import value
from tests.ports import free_port
from tests.waiting import until

SECRET = "webhook-secret-never-logged-7f3a"
ROOT = Path(__file__).resolve().parents[2]
ANSWERS = ("Annabel Quist", "Dental clinics in Tallinn", "Re-booking patients by hand every morning")


def start(tg: FakeTelegramServer, tmp_path: Path, port: int, log: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PORT": str(port),
        "TELEGRAM_CHAT_RATE": "100",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "DEBUG",
        "PTB_TIMEDELTA": "1",
    }
    env.pop("SLACK_BOT_TOKEN", None)
    command = [sys.executable, "-m", "bot.cli", "run"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)


async def get(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with http.get(url) as response:
        return response.status, await response.text()


async def ready(http: aiohttp.ClientSession, base: str) -> tuple[int, str] | None:
    """/readyz's status and body once it answers 200; None before."""
    try:
        status, body = await get(http, f"{base}/readyz")
    except aiohttp.ClientError:
        return None
    return (status, body) if status == 200 else None


class Founder:
    """Alice, typing and pressing through the fake Bot API; remembers every update she caused."""

    def __init__(self, tg: FakeTelegramServer, user: FakeUser) -> None:
        self.tg, self.user, self.updates = tg, user, list[dict[str, Any]]()

    async def says(self, text: str) -> SentMessage:
        last = self.tg.last_message(self.user)
        self.updates.append(await self.tg.inject_text(self.user, text))
        return await self.tg.wait_for_message(self.user, after=last, timeout=10)

    async def presses(self, label: str) -> SentMessage:
        message = self.tg.last_message(self.user)
        assert message is not None
        self.updates.append(await self.tg.inject_callback(self.user, message.message_id, button_text=label))
        return await self.tg.wait_for_message(self.user, after=message, timeout=10)


@pytest.mark.slow
async def test_json_logs_readiness_and_metrics_of_a_real_process(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "cusdev.log"
    async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg, aiohttp.ClientSession() as http:
        with log_path.open("wb") as log:
            process = start(tg, tmp_path, port, log)
            try:
                await tg.wait_until(lambda: tg.updates.webhook.url or None, timeout=20, what="setWebhook")
                readiness = await until(lambda: ready(http, base), "cusdev run to be ready", timeout=20, every=0.1)
                assert readiness == (200, '{"ok":true}')
                alice = Founder(tg, tg.add_user("Alice"))
                await alice.says("/start")
                assert "Who did you talk to?" in (await alice.says("/quick")).plain_text
                for answer in ANSWERS:
                    reply = await alice.says(answer)
                assert "How badly" in reply.plain_text
                await alice.presses("4 · Serious problem")
                await alice.presses("Meeting or free pilot")
                await alice.presses("Skip")
                saved = await alice.presses("Save ✅")
                assert "Your interview with Annabel Quist is in." in saved.plain_text
                await tg.redeliver(alice.updates[2])  # the first answer, once more
                await tg.wait_until_confirmed(alice.updates[2], timeout=10)
                last = tg.last_message(alice.user)
                sticker = await tg.inject_sticker(alice.user)
                await tg.wait_for_message(alice.user, after=last, timeout=10)
                tg.fail_next("sendMessage", "Too Many Requests: retry after 1", status=429, retry_after=1)
                await alice.says("/status")
                page = await settled_metrics(http, base)
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=20)
    assert process.returncode == 0
    handled = len(alice.updates)  # 10: two commands, three answers, four presses, /status
    assert value(page, "cusdev_updates_handled_total", platform="telegram", outcome="ok") == handled
    assert value(page, "cusdev_updates_handled_total", platform="telegram", outcome="duplicate") == 1
    assert value(page, "cusdev_updates_handled_total", platform="telegram", outcome="ignored") == 1
    assert value(page, "cusdev_updates_handled_total", platform="telegram", outcome="failed") == 0
    assert value(page, "cusdev_handler_seconds_count", platform="telegram") == handled + 2
    assert value(page, "cusdev_duplicate_events_dropped_total", platform="telegram") == 1
    assert value(page, "cusdev_rate_limited_total", platform="telegram") == 1
    assert value(page, "cusdev_sends_retried_total", platform="telegram", reason="rate_limited") == 1
    assert value(page, "cusdev_scheduler_leader") == 1
    assert value(page, "cusdev_outbox_oldest_unsent_age_seconds", platform="telegram") == 0

    lines = log_path.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert entries and all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    secret_part = tg.token.split(":")[1]
    for line in lines:
        assert tg.token not in line and secret_part not in line and SECRET not in line, line
        assert not any(answer in line for answer in ANSWERS), line
    assert any("/bot[redacted]/" in entry["message"] for entry in entries), "httpx's request lines, token masked"
    by_event = {entry.get("event"): entry for entry in entries if entry["message"].startswith("telegram update")}
    for update in [*alice.updates, sticker]:
        entry = by_event[f"tg:{update['update_id']}"]
        assert entry["platform"] == "telegram", entry
    answered = by_event[f"tg:{alice.updates[3]['update_id']}"]
    assert answered["team"].isdigit(), "an interview answer's line names the founder's team"
    [dropped] = [entry for entry in entries if entry["message"] == "duplicate event dropped"]
    assert dropped["event"] == f"tg:{alice.updates[2]['update_id']}" and dropped["platform"] == "telegram"


async def settled_metrics(http: aiohttp.ClientSession, base: str) -> str:
    """/metrics once every reply is marked sent (sent-marks are committed in groups, a moment after the send)."""

    async def settled() -> str | None:
        status, page = await get(http, f"{base}/metrics")
        assert status == 200
        return page if value(page, "cusdev_outbox_backlog", platform="telegram") == 0 else None

    return await until(settled, "the outbox to empty", timeout=5, every=0.05)
