"""The running Slack app for end-to-end tests: signed requests to the ASGI app, the Web API faked locally."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.bootstrap import App, build
from bot.settings import Settings
from bot.slack.run import SlackRunner
from bot.web import create_app
from tests.fake_slack import SIGNING_SECRET, FakeSlack, Person, Posted, SlackClient
from tests.fake_slack.socket import APP_TOKEN


@dataclass
class SlackBot:
    """A running cusdev Slack app, the fake Slack it talks to, and a client that signs requests to it."""

    slack: FakeSlack
    app: App
    runner: SlackRunner
    client: SlackClient

    def dm(self, person: Person) -> list[Posted]:
        """What the app posted in the person's DM."""
        return self.slack.messages(person.dm)

    async def next_in(self, channel: str, after: int, timeout: float = 10.0, ephemeral: bool = False) -> Posted:
        """The first message posted in the channel after the first `after` ones."""
        found = await self.slack.wait_for(lambda: self.slack.messages(channel, ephemeral)[after:], timeout)
        return found[0]

    async def said(self, person: Person, text: str) -> Posted:
        """Type in the DM; the app's next message there."""
        before = len(self.dm(person))
        response = await self.client.says(person, text)
        assert response.status_code == 200, response.text
        return await self.next_in(person.dm, before)

    async def command(self, person: Person, text: str) -> Posted:
        """`/cusdev text` in the DM; the app's next message there."""
        before = len(self.dm(person))
        response = await self.client.command(person, text)
        assert response.status_code == 200, response.text
        return await self.next_in(person.dm, before)

    async def press(self, person: Person, label: str, message: Posted | None = None) -> Posted:
        """Press a button on the last (or given) message; the app's next new message in the DM."""
        message = message or self.dm(person)[-1]
        before = len(self.dm(person))
        response = await self.client.press(person, message, label)
        assert response.status_code == 200, response.text
        return await self.next_in(person.dm, before)

    async def log_quick(self, person: Person, alias: str = "Anna", pain: str = "Re-booking by hand") -> None:
        """A whole quick interview in the person's DM: with `alias` from dental clinics, who has `pain` at 4/5,
        no commitment, saved."""
        await self.command(person, "interview quick")
        for answer in (alias, "Dental clinics", pain):
            await self.said(person, answer)
        for label in ("4", "No commitment", "Skip", "Save"):
            await self.press(person, label)

    async def answer_then_redelivered(self, text: str) -> Person:
        """Alice starts a quick interview and types `text`; once the app has replied, Slack delivers that event again
        (same event id, `X-Slack-Retry-Num: 1`). Both deliveries get 200. Returns Alice."""
        alice = self.slack.add_person("Alice")
        await self.command(alice, "interview quick")
        before = len(self.dm(alice))
        first = await self.client.says(alice, text, event_id="EvSAME")
        await self.next_in(alice.dm, before)
        again = await self.client.says(alice, text, event_id="EvSAME", headers={"X-Slack-Retry-Num": "1"})
        assert first.status_code == again.status_code == 200
        return alice

    async def settled(self) -> None:
        """Wait until every committed reply is delivered."""
        for _ in range(500):
            if not self.runner.relay.busy:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("replies still being delivered")


def slack_settings(slack: FakeSlack, tmp_path: Path) -> Settings:
    """Settings for one workspace against the fake Slack."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'slack.db'}",
        slack_bot_token=slack.token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_base_url=slack.base_url,
        slack_chat_rate=1000.0,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as slack:
        yield slack


@pytest.fixture
async def slack_bot(fake_slack: FakeSlack, tmp_path: Path) -> AsyncIterator[SlackBot]:
    async with running(slack_settings(fake_slack, tmp_path), fake_slack) as bot:
        yield bot


@pytest.fixture
async def oauth_bot(fake_slack: FakeSlack, tmp_path: Path, db_url: str) -> AsyncIterator[SlackBot]:
    """Many workspaces: OAuth installs kept in the database (SQLite and PostgreSQL), no SLACK_BOT_TOKEN."""
    settings = slack_settings(fake_slack, tmp_path).model_copy(
        update={
            "database_url": db_url,
            "slack_bot_token": None,
            "slack_client_id": "111.222",
            "slack_client_secret": "client-secret",
            "public_url": "https://cusdev.test",
        }
    )
    async with running(settings, fake_slack) as bot:
        yield bot


@pytest.fixture
async def socket_bot(fake_slack: FakeSlack, tmp_path: Path) -> AsyncIterator[SlackBot]:
    """Socket Mode: events come over a WebSocket from the fake Slack; no signing secret, no public endpoint."""
    settings = slack_settings(fake_slack, tmp_path).model_copy(
        update={"slack_signing_secret": None, "slack_app_token": APP_TOKEN}
    )
    async with running(settings, fake_slack) as bot:
        await fake_slack.socket.connected()
        yield bot


@asynccontextmanager
async def running(settings: Settings, fake_slack: FakeSlack) -> AsyncIterator[SlackBot]:
    """The Slack runner and its relay, with an HTTP client on the ASGI app."""
    app = build(settings)
    runner = SlackRunner(app)
    await runner.start()
    stop = asyncio.Event()
    relay = asyncio.create_task(runner.relay.run(stop))
    transport = httpx.ASGITransport(app=create_app(runner.routes(), app))
    async with httpx.AsyncClient(transport=transport, base_url="https://cusdev.test") as http:
        try:
            yield SlackBot(fake_slack, app, runner, SlackClient(http))
        finally:
            stop.set()
            await relay
            await runner.stop_intake()
            await runner.relay.drain(timeout=5)
            await runner.close()
            await app.storage.close()
