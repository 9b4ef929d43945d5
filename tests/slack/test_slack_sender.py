"""The Slack sender against the fake Web API: per-channel 429s, refusals, every kind of destination."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.sender import ChannelLimiter, SlackSender
from bot.slack.tokens import StaticTokens
from core.app.ports import OutboxMessage
from core.messages import Choice, Destination, Ephemeral, HomeView, Reply, Span, ToChat, ToUser, UpdatePressed
from tests.fake_slack import FakeSlack


class NoTokens:
    async def bot_token(self, tenant: str) -> str | None:
        return None


@pytest.fixture
async def sender(fake_slack: FakeSlack) -> AsyncIterator[SlackSender]:
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(base_url=fake_slack.base_url, session=session)
        yield SlackSender(client, StaticTokens(fake_slack.token), ChannelLimiter(per_second=1000))


def out(destination: Destination, text: str = "Hi & bye", number: int = 1) -> OutboxMessage:
    return OutboxMessage(number, destination, Reply((Span(text),), choices=((Choice("Yes", "1|y"),),)))


async def test_a_429_pauses_only_its_channel_and_nothing_is_dropped(fake_slack: FakeSlack, sender: SlackSender) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=1, channel="C1")
    started = time.monotonic()
    done: dict[str, float] = {}

    async def send(channel: str) -> None:
        await sender.send(out(ToChat("slack", "T1", channel)))
        done[channel] = time.monotonic() - started

    await asyncio.gather(send("C1"), send("C2"))
    assert done["C2"] < 0.5 <= 1.0 <= done["C1"]
    assert [m.channel for m in fake_slack.posted].count("C1") == 1
    assert [r.error for r in fake_slack.calls("chat.postMessage")].count("ratelimited") == 1


async def test_refused_blocks_go_again_as_plain_text(fake_slack: FakeSlack, sender: SlackSender) -> None:
    fake_slack.fail("chat.postMessage", "invalid_blocks")
    await sender.send(out(ToChat("slack", "T1", "C1"), "<b>x</b> & y"))
    [posted] = fake_slack.posted
    assert posted.blocks == [] and posted.text.startswith("&lt;b&gt;x&lt;/b&gt; &amp; y")


async def test_each_destination_uses_its_method(fake_slack: FakeSlack, sender: SlackSender) -> None:
    alice = fake_slack.add_person("Alice")
    await sender.send(out(ToUser("slack", "T1", alice.id)))
    [first] = fake_slack.messages(alice.dm)
    await sender.send(out(UpdatePressed("slack", "T1", alice.dm, first.ts), "Updated"))
    assert first.plain.startswith("Updated") and first.history
    await sender.send(out(UpdatePressed("slack", "T1", alice.dm, "999.9"), "Gone"))
    assert fake_slack.messages(alice.dm)[-1].plain.startswith("Gone"), "an update that cannot happen posts anew"
    await sender.send(out(Ephemeral("slack", "T1", "C9", alice.id), "Just you"))
    [whisper] = fake_slack.messages("C9", ephemeral=True)
    assert whisper.ephemeral_to == alice.id and fake_slack.messages("C9") == []
    await sender.send(out(HomeView("slack", "T1", alice.id), "Dashboard"))
    [home] = fake_slack.views
    assert home["user"] == alice.id and home["view"]["type"] == "home"


async def test_a_workspace_without_a_token_gets_nothing(fake_slack: FakeSlack, sender: SlackSender) -> None:
    sender.tokens = NoTokens()
    await sender.send(out(ToChat("slack", "T1", "C1")))
    assert fake_slack.requests == []


async def test_a_channel_gone_counts_as_delivered(fake_slack: FakeSlack, sender: SlackSender) -> None:
    fake_slack.fail("chat.postMessage", "channel_not_found")
    await sender.send(out(ToChat("slack", "T1", "C404")))
    assert [r.error for r in fake_slack.requests] == ["channel_not_found"]


def test_the_limiter_spaces_a_burst_and_honours_a_pause() -> None:
    now = [0.0]
    limiter = ChannelLimiter(per_second=1.0, burst=2, clock=lambda: now[0])
    assert [limiter.delay("C") for _ in range(3)] == [0.0, 0.0, 1.0]
    limiter.pause("C", 5.0)
    assert limiter.delay("C") >= 5.0 and limiter.delay("D") == 0.0


async def test_closing_buttons_updates_the_channels_last_message_with_buttons(
    fake_slack: FakeSlack, sender: SlackSender
) -> None:
    alice = fake_slack.add_person("Alice")
    dm = ToChat("slack", "T1", alice.dm)
    await sender.send(out(dm, "Pick one"))
    await sender.send(OutboxMessage(2, dm, Reply((Span("No buttons here"),))))
    await sender.send(OutboxMessage(3, dm, Reply((Span("Typed past it"),), closes_buttons=True)))
    assert [r.method for r in fake_slack.requests][-2:] == ["chat.postMessage", "chat.update"], "next question first"
    asked, plain, answered = fake_slack.messages(alice.dm)
    assert not asked.buttons() and asked.plain == "Pick one" and not plain.history
    assert answered.plain == "Typed past it"
    await sender.send(OutboxMessage(4, dm, Reply((Span("Again"),), closes_buttons=True)))
    assert len(fake_slack.calls("chat.update")) == 1, "a message is closed once; nothing else is touched"


async def test_a_pressed_message_keeps_its_answer_when_buttons_are_closed(
    fake_slack: FakeSlack, sender: SlackSender
) -> None:
    alice = fake_slack.add_person("Alice")
    dm = ToChat("slack", "T1", alice.dm)
    await sender.send(out(dm, "Pick one"))
    [asked] = fake_slack.messages(alice.dm)
    marked = [*asked.blocks[:-1], {"type": "context", "elements": [{"type": "mrkdwn", "text": "→ *Yes*"}]}]
    await sender.update("T1", alice.dm, asked.ts, marked, asked.text)
    await sender.send(OutboxMessage(2, dm, Reply((Span("Next"),), closes_buttons=True)))
    assert asked.mrkdwn.endswith("→ *Yes*") and len(asked.history) == 1
