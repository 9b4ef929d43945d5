"""Webhook mode through the ASGI app, and a bot killed with SIGKILL that resumes every open interview."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.bootstrap import build
from bot.settings import Settings
from bot.telegram.run import run_webhook
from tests.fake_telegram import FakeTelegramServer, Limits
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def test_webhook_mode_serves_updates_and_refuses_a_bad_secret(tmp_path: Path) -> None:
    port = free_port()
    async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'bot.db'}",
            telegram_bot_token=tg.token,
            telegram_api_base_url=tg.base_url,
            telegram_mode="webhook",
            public_url=f"http://127.0.0.1:{port}",
            telegram_webhook_secret="a-long-secret",
            port=port,
            _env_file=None,  # type: ignore[call-arg]
        )
        app = build(settings)
        stop = asyncio.Event()
        task = asyncio.create_task(run_webhook(app, stop, host="127.0.0.1"))
        try:
            await tg.wait_until(lambda: tg.updates.webhook.url or None, timeout=10, what="setWebhook")
            assert tg.updates.webhook.secret_token == "a-long-secret"
            alice = tg.add_user("Alice")
            await tg.wait_until(_healthy(port), timeout=10, what="the web app")
            await tg.inject_text(alice, "/quick")
            first = await tg.wait_for_message(alice, timeout=10)
            assert "Who did you talk to?" in first.plain_text
            async with aiohttp.ClientSession() as http:
                url = f"http://127.0.0.1:{port}/telegram/webhook"
                body = {
                    "update_id": 1,
                    "message": {
                        "message_id": 9,
                        "date": 0,
                        "chat": {"id": alice.id, "type": "private"},
                        "from": {"id": alice.id, "is_bot": False, "first_name": "Eve"},
                        "text": "Mallory",
                    },
                }
                async with http.post(url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}) as bad:
                    assert bad.status == 403
                async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
                    assert health.status == 200
            data = await app.storage.export_data()
            assert data.interviews[0].answers == {}
        finally:
            stop.set()
            await asyncio.wait_for(task, 15)
            await app.storage.close()


def _healthy(port: int):  # type: ignore[no-untyped-def]
    def probe() -> bool:
        with socket.socket() as connection:
            return connection.connect_ex(("127.0.0.1", port)) == 0

    return probe


def start_bot(tg: FakeTelegramServer, database: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "TELEGRAM_CHAT_RATE": "100",
        "PTB_TIMEDELTA": "1",
        "PORT": str(free_port()),  # `cusdev run` serves /healthz, /readyz and /metrics even when it polls
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
async def test_sigkill_mid_interview_then_restart_resumes_and_sends_what_was_committed(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg:
        alice = tg.add_user("Alice")
        bot = start_bot(tg, database)
        try:
            await tg.wait_for_request("getUpdates", timeout=20)
            await tg.inject_text(alice, "/quick")
            reply = await tg.wait_for_message(alice, timeout=10)
            await tg.inject_text(alice, "Anna")
            reply = await tg.wait_for_message(alice, after=reply, timeout=10)
            assert "Which customer segment" in reply.plain_text
            # Telegram goes away: the next reply is committed but cannot be sent; then the process dies.
            tg.fail_next("sendMessage", "Bad Gateway", status=502, times=10_000)
            sends = tg.count("sendMessage")
            update = await tg.inject_text(alice, "Dental clinics")
            await tg.wait_until_confirmed(update, timeout=10)
            await tg.wait_until(lambda: tg.count("sendMessage") > sends, timeout=10, what="a failed send")
        finally:
            os.kill(bot.pid, signal.SIGKILL)
            bot.wait(timeout=10)
        assert bot.returncode == -signal.SIGKILL
        tg.clear_failures("sendMessage")
        restarted = start_bot(tg, database)
        try:
            pain = await tg.wait_for_message(alice, lambda m: "Describe the pain" in m.plain_text, timeout=20)
            await tg.inject_text(alice, "Re-booking by hand")
            severity = await tg.wait_for_message(alice, after=pain, timeout=10)
            assert "How badly does it hurt them?" in severity.plain_text
            texts = [m.plain_text for m in tg.messages(alice)]
            assert sum("Describe the pain" in t for t in texts) == 1
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.wait(timeout=20)


@pytest.mark.slow
async def test_sigkill_right_after_a_reply_sends_nothing_twice(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    async with FakeTelegramServer(limits=Limits(chat_per_second=None)) as tg:
        alice = tg.add_user("Alice")
        bot = start_bot(tg, database)
        try:
            await tg.wait_for_request("getUpdates", timeout=20)
            reply = None
            for text in ("/quick", "Anna", "Dental clinics"):
                await tg.inject_text(alice, text)
                reply = await tg.wait_for_message(alice, after=reply, timeout=10)
            assert "Describe the pain" in reply.plain_text
            await asyncio.sleep(0.2)  # a founder reading the question: sent-marks must already be on disk
        finally:
            os.kill(bot.pid, signal.SIGKILL)
            bot.wait(timeout=10)
        restarted = start_bot(tg, database)
        try:
            await tg.wait_for_request("getUpdates", count=tg.count("getUpdates") + 1, timeout=20)
            await tg.inject_text(alice, "Re-booking by hand")
            await tg.wait_for_message(alice, lambda m: "How badly" in m.plain_text, timeout=10)
            texts = [m.plain_text for m in tg.messages(alice)]
            for question in ("Who did you talk to?", "Which customer segment", "Describe the pain", "How badly"):
                assert sum(question in t for t in texts) == 1, (question, texts)
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.wait(timeout=20)
        assert restarted.returncode == 0
