"""Founders driving `cusdev run` replicas the way Telegram and Slack do: each request is a signed (or secret-headed)
POST to one replica's endpoint; a connection error means the platform sends it again, here to the other replica."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import httpx

from tests.e2e.processes import SECRET
from tests.fake_slack import SIGNING_SECRET, FakeSlack, Person, SlackClient
from tests.fake_telegram import FakeTelegramServer, FakeUser

Request = tuple[str, bytes, dict[str, str]]
"""A request as a platform sends it: path, body, headers."""
TELEGRAM_STEPS = ("/quick", "{alias}", "Segment of {alias}", "Pain of {alias}", "press:4 · Serious problem",
                  "press:Meeting or free pilot", "press:Skip", "press:Save ✅")  # fmt: skip
SLACK_STEPS = ("/interview quick", *TELEGRAM_STEPS[1:])
REPLIES = ("Who did you talk to?", "Which customer segment", "Describe the pain", "How badly does it hurt them?",
           "Did they commit", "What was the best thing they said?", "Almost done", "Saved ✅")  # fmt: skip
"""The bot's reply to each step, in order: one message each."""


class Capture(SlackClient):
    """The tests' signed Slack requests, kept instead of sent (the driver picks the replica)."""

    def __init__(self) -> None:
        super().__init__(None, SIGNING_SECRET)
        self.captured: tuple[bytes, dict[str, str]] | None = None

    async def send(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        self.captured = (body, headers)
        return httpx.Response(200)


@dataclass
class Founder:
    """One founder on one platform, with the steps of a quick interview and how far they got."""

    alias: str
    tg_user: FakeUser | None = None
    slack_person: Person | None = None
    done: int = 0
    requests: list[Request] = field(default_factory=list)

    @property
    def steps(self) -> list[str]:
        steps = TELEGRAM_STEPS if self.tg_user is not None else SLACK_STEPS
        return [step.format(alias=self.alias) for step in steps]


class Platforms:
    """Builds each founder's next request from what the fake platforms show them."""

    def __init__(self, tg: FakeTelegramServer, slack: FakeSlack) -> None:
        self.tg, self.slack, self.capture = tg, slack, Capture()

    def replies(self, founder: Founder) -> list[str]:
        """The texts of the bot's messages in the founder's chat, oldest first."""
        if founder.tg_user is not None:
            return [m.plain_text for m in self.tg.messages(founder.tg_user)]
        assert founder.slack_person is not None
        return [m.plain for m in self.slack.messages(founder.slack_person.dm)]

    async def request(self, founder: Founder, step: str) -> Request:
        """The platform's request for this step: a Telegram update or a signed Slack event or block action."""
        if founder.tg_user is not None:
            update = await self._telegram(founder.tg_user, step)
            # The test delivers it itself (to the replica it picks), as a load balancer would.
            self.tg.updates.pending.remove(update)
            headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
            return "/telegram/webhook", json.dumps(update).encode(), headers
        person = founder.slack_person
        assert person is not None
        if step.startswith("press:"):
            label = step.removeprefix("press:")
            [message] = [m for m in self.slack.messages(person.dm) if _has_button(m.buttons(), label)][-1:]
            await self.capture.press(person, message, label)
        else:
            await self.capture.says(person, step)
        assert self.capture.captured is not None
        body, headers = self.capture.captured
        return "/slack/events", body, headers

    async def _telegram(self, user: FakeUser, step: str) -> dict[str, Any]:
        if not step.startswith("press:"):
            return await self.tg.inject_text(user, step)
        label = step.removeprefix("press:")
        [message] = [m for m in self.tg.messages(user) if _has_button(_tg_buttons(m.reply_markup), label)][-1:]
        return await self.tg.inject_callback(user, message.message_id, button_text=label)


def _has_button(buttons: list[dict[str, Any]], label: str) -> bool:
    """Telegram's buttons have their label as `text`; Slack's as `text.text`."""
    labels = [b["text"] if isinstance(b["text"], str) else b["text"]["text"] for b in buttons]
    return label in labels


def _tg_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [button for row in (markup or {}).get("inline_keyboard", []) for button in row]


async def post(http: aiohttp.ClientSession, url: str, request: Request, retry: bool = False) -> int:
    """POST the request; its status (raises aiohttp.ClientConnectionError when the replica is gone)."""
    path, body, headers = request
    if retry and path == "/slack/events":
        headers = {**headers, "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"}
    async with http.post(url + path, data=body, headers=headers) as response:
        await response.read()
        return response.status


async def post_raw(port: int, request: Request) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Write the request onto a new connection and return once it is in the kernel's buffers (the replica may be
    stopped: the connection waits in its listen queue); read the answer from the reader."""
    path, body, headers = request
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{key}: {value}" for key, value in headers.items()]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    await writer.drain()
    return reader, writer
