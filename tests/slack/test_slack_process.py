"""`cusdev run` serving Slack over real HTTP: killed with SIGKILL mid-interview, it sends what was committed, once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from tests.fake_slack import SIGNING_SECRET, FakeSlack, SlackClient
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def running(slack: FakeSlack, database: Path, port: int) -> AsyncIterator[subprocess.Popen[bytes]]:
    """`cusdev run` with Slack configured, up and answering /healthz."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": slack.base_url,
        "SLACK_CHAT_RATE": "100",
        "PORT": str(port),
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(200):
                try:
                    if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("cusdev run did not come up")
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)


@pytest.mark.slow
async def test_sigkill_mid_interview_then_restart_sends_the_committed_reply_once(tmp_path: Path) -> None:
    database, port = tmp_path / "slack.db", free_port()
    async with FakeSlack() as slack:
        alice = slack.add_person("Alice")
        async with (
            running(slack, database, port) as bot,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
        ):
            client = SlackClient(http)
            assert (await client.command(alice, "interview quick")).status_code == 200
            await slack.wait_for(lambda: slack.messages(alice.dm))
            assert (await client.says(alice, "Anna")).status_code == 200
            await slack.wait_for(lambda: any("Which customer segment" in m.plain for m in slack.messages(alice.dm)))
            # Slack goes away: the next reply is committed (the request answered 200) but cannot be sent.
            slack.fail("chat.postMessage", "service_unavailable", times=10_000, status=503)
            failed = len([r for r in slack.calls("chat.postMessage") if r.error])
            assert (await client.says(alice, "Dental clinics")).status_code == 200
            await slack.wait_for(lambda: len([r for r in slack.calls("chat.postMessage") if r.error]) > failed)
            os.kill(bot.pid, signal.SIGKILL)
            bot.wait(timeout=10)
        assert bot.returncode == -signal.SIGKILL
        slack.failures.clear()
        async with running(slack, database, free_port()) as restarted:
            pain = await slack.wait_for(
                lambda: [m for m in slack.messages(alice.dm) if "Describe the pain" in m.plain], timeout=20
            )
            await asyncio.sleep(0.5)
            assert len(pain) == 1 and restarted.poll() is None
        data_texts = [m.plain for m in slack.messages(alice.dm)]
        assert sum("Describe the pain" in t for t in data_texts) == 1
