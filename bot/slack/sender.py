"""Sending outbox messages to Slack within its limits (about one message a second per channel, 429 Retry-After)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.charts import drawn
from bot.delivery.per_chat import MAX_CHATS, LastWithButtons, TokenBuckets
from bot.metrics import Metrics
from bot.slack.render import MAX_FALLBACK, SlackMessage, escape, home_view, pieces, pressed_blocks, render
from bot.slack.tokens import Tokens
from core.app.ports import OutboxMessage
from core.messages import Ephemeral, HomeView, Image, Reply, ToChat, ToUser, UpdatePressed

log = logging.getLogger(__name__)
MAX_BACKOFF = 30.0
MAX_IN_FLIGHT = 8
REFUSED_RICH = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long", "too_many_attachments"})
"""Errors after which the message goes again as plain text."""
TRANSIENT = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})
"""Errors Slack answers when it is in trouble: the call is tried again with backoff."""
CANT_UPDATE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed", "msg_too_long"})


@dataclass(frozen=True)
class Shown:
    """A sent message with buttons, as sent: closing its buttons re-sends it without them."""

    ts: str
    blocks: list[dict[str, Any]]
    text: str


class ChannelLimiter:
    """Per channel: about `per_second` messages with a small burst, and a pause until a 429's Retry-After."""

    def __init__(self, per_second: float = 1.0, burst: int = 3, clock: Callable[[], float] = time.monotonic) -> None:
        self.buckets = TokenBuckets[str](per_second, burst)
        self.clock = clock
        self.paused: dict[str, float] = {}

    def delay(self, channel: str) -> float:
        """Reserve one send in the channel; how long to wait before making it."""
        now = self.clock()
        if len(self.paused) > MAX_CHATS:
            self.paused = {c: until for c, until in self.paused.items() if until > now}
        return max(self.buckets.reserve(channel, now), self.paused.get(channel, now) - now)

    def pause(self, channel: str, seconds: float) -> None:
        """Slack answered 429 for this channel: nothing goes there for `seconds`."""
        self.paused[channel] = max(self.paused.get(channel, 0.0), self.clock() + seconds)


def _retry_after(error: SlackApiError) -> float:
    headers = getattr(error.response, "headers", {}) or {}
    value = headers.get("Retry-After") or headers.get("retry-after") or 1
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 1.0


class SlackSender:
    """Implements bot.delivery.relay.Sender for Slack, for every workspace the tokens know."""

    def __init__(
        self,
        client: AsyncWebClient,
        tokens: Tokens,
        limiter: ChannelLimiter | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.client, self.tokens = client, tokens
        self.limiter = limiter or ChannelLimiter()
        self.metrics = metrics or Metrics()
        self.in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.with_buttons = LastWithButtons[tuple[str, str], Shown]()

    async def send(self, message: OutboxMessage) -> None:
        """Deliver one message to its destination; a refused rich message goes again as plain text.

        A reply that closes the previous buttons closes them after it is sent: the founder sees it a round trip
        sooner, and the close is cosmetic."""
        destination = message.destination
        closing: tuple[str, str, Shown] | None = None
        if message.reply.closes_buttons and isinstance(destination, (ToChat, UpdatePressed)):
            last = self.with_buttons.take((destination.tenant, destination.chat))
            closing = None if last is None else (destination.tenant, destination.chat, last)
        try:
            await self._send(message)
            if closing is not None:
                await self.close_buttons(*closing)
        except Exception:  # a message that can never go must not hold up the chat's queue behind it
            log.exception("slack message %s could not be sent", message.id)

    async def _send(self, message: OutboxMessage) -> None:
        destination = message.destination
        token = await self.tokens.bot_token(destination.tenant)
        if token is None:
            log.info(
                "slack workspace %s has no token (uninstalled); message %s dropped", destination.tenant, message.id
            )
            return
        reply = message.reply
        if isinstance(destination, HomeView):
            view = home_view(reply)
            await self.call(token, "views.publish", f"@{destination.user}", {"user_id": destination.user, "view": view})
            return
        parts = render(reply)
        if isinstance(destination, Ephemeral):
            for part in parts:
                args = {"channel": destination.chat, "user": destination.user, "blocks": part.blocks, "text": part.text}
                if not await self.call(token, "chat.postEphemeral", destination.chat, args):
                    await self.plain(
                        token, "chat.postEphemeral", reply, channel=destination.chat, user=destination.user
                    )
                    return
            return
        if isinstance(destination, UpdatePressed):
            first, *rest = parts
            channel, ts = destination.chat, destination.message
            args = {"channel": channel, "ts": ts, "blocks": first.blocks, "text": first.text}
            if await self.call(token, "chat.update", channel, args, cant=CANT_UPDATE):
                self.shown(destination.tenant, channel, ts, first)
                await self.post(token, destination.tenant, channel, None, rest, reply)
                return
            await self.post(token, destination.tenant, channel, None, parts, reply)
            return
        assert isinstance(destination, (ToUser, ToChat))
        channel = destination.user if isinstance(destination, ToUser) else destination.chat
        thread = destination.thread if isinstance(destination, ToChat) else None
        images = reply.images
        if images:  # the text without them (each chart goes as a file, its alt text as title and alt text)
            parts = render(reply.without_images())
        posted = await self.post(token, destination.tenant, channel, thread, parts, reply)
        for image in images:
            await self.upload(token, posted, thread, image)

    async def post(
        self, token: str, tenant: str, channel: str, thread: str | None, parts: list[SlackMessage], reply: Reply
    ) -> str:
        """chat.postMessage for each part; a refusal sends the reply as plain text instead. The channel's id, as
        Slack answered it (a message to a user id lands in their DM, whose id is another)."""
        for part in parts:
            args: dict[str, Any] = {"channel": channel, "blocks": part.blocks, "text": part.text}
            if thread:
                args["thread_ts"] = thread
            taken, answer = await self.request(token, "chat.postMessage", channel, args)
            if not taken:
                await self.plain(token, "chat.postMessage", reply, channel=channel, thread_ts=thread)
                return channel
            channel = str(answer.get("channel") or channel)
            if answer.get("ts"):
                self.shown(tenant, channel, str(answer["ts"]), part)
        return channel

    async def upload(self, token: str, channel: str, thread: str | None, image: Image) -> None:
        """A chart as a PNG file shared in the channel (files_upload_v2); its alt text as a note when it fails."""
        png = await drawn(image)
        title = image.alt[:250]
        if png is not None:
            taken, _answer = await self.retrying(
                "files.upload",
                channel,
                lambda: self.client.files_upload_v2(
                    token=token,
                    channel=channel,
                    thread_ts=thread,
                    file=png,
                    filename="digest.png",
                    title=title,
                    alt_txt=image.alt[:1000],
                ),
                cant=frozenset({"not_in_channel", "channel_not_found", "invalid_channel"}),
            )
            if taken:
                return
        await self.call(token, "chat.postMessage", channel, {"channel": channel, "text": escape(image.alt[:2900])})

    def shown(self, tenant: str, channel: str, ts: str, part: SlackMessage) -> None:
        """Remember the channel's last message with buttons (a message without them, once updated, is forgotten)."""
        key = (tenant, channel)
        if any(block.get("type") == "actions" for block in part.blocks):
            self.with_buttons.remember(key, Shown(ts, part.blocks, part.text))
        else:
            self._forget_shown(key, ts)

    def _forget_shown(self, key: tuple[str, str], ts: str) -> None:
        """This message has no buttons any more: it is no longer the channel's last with buttons."""
        last = self.with_buttons.peek(key)
        if last is not None and last.ts == ts:
            self.with_buttons.take(key)

    async def close_buttons(self, tenant: str, channel: str, last: Shown) -> None:
        """Take the buttons off a message that had them (cosmetic: a refusal is only logged)."""
        token = await self.tokens.bot_token(tenant)
        if token is not None:
            args = {"channel": channel, "ts": last.ts, "blocks": pressed_blocks(last.blocks, None), "text": last.text}
            await self.call(token, "chat.update", channel, args, cant=CANT_UPDATE)

    async def note(self, tenant: str, channel: str, text: str) -> None:
        """A short mrkdwn note outside the outbox (nothing stored depends on it)."""
        token = await self.tokens.bot_token(tenant)
        if token is not None:
            await self.call(token, "chat.postMessage", channel, {"channel": channel, "text": text})

    async def update(self, tenant: str, channel: str, ts: str, blocks: list[dict[str, Any]], text: str) -> None:
        """Replace a sent message's blocks (cosmetic: a refusal is only logged)."""
        token = await self.tokens.bot_token(tenant)
        if token is not None:
            self._forget_shown((tenant, channel), ts)  # the pressed message shows its answer now: leave it so
            args = {"channel": channel, "ts": ts, "blocks": blocks, "text": text}
            await self.call(token, "chat.update", channel, args)

    async def plain(self, token: str, method: str, reply: Reply, **target: Any) -> None:
        """The fallback when Slack refuses the blocks: the plain text alone, in pieces Slack takes."""
        log.warning("slack refused a rendered message; sending it as plain text")
        text = reply.fallback().strip() or "…"
        target = {key: value for key, value in target.items() if value is not None}
        for piece in pieces(text, MAX_FALLBACK):  # each piece fits once escaped
            await self.call(token, method, str(target.get("channel", "")), {**target, "text": escape(piece)})

    async def call(
        self, token: str, method: str, channel: str, args: dict[str, Any], cant: frozenset[str] = REFUSED_RICH
    ) -> bool:
        """Call until Slack takes it: wait out 429s (per channel) and retry network trouble with backoff.

        False only when Slack refuses this request for good (an error in `cant`); other refusals (a channel
        gone, the app removed) are logged and count as delivered: nobody is there to read it.
        """
        taken, _answer = await self.request(token, method, channel, args, cant)
        return taken

    async def request(
        self, token: str, method: str, channel: str, args: dict[str, Any], cant: frozenset[str] = REFUSED_RICH
    ) -> tuple[bool, dict[str, Any]]:
        """`call`, with Slack's answer (empty unless Slack took the request)."""
        headers = {"Authorization": f"Bearer {token}"}
        return await self.retrying(
            method, channel, lambda: self.client.api_call(method, json=args, headers=headers), cant
        )

    async def retrying(
        self, method: str, channel: str, send: Callable[[], Awaitable[Any]], cant: frozenset[str] = REFUSED_RICH
    ) -> tuple[bool, dict[str, Any]]:
        """Make a Web API request until Slack takes it (see `call`): True and Slack's answer, or False for good."""
        failures = 0
        while True:
            delay = self.limiter.delay(channel)
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                async with self.in_flight:
                    answer = await send()
                return True, dict(answer.data) if isinstance(answer.data, dict) else {}
            except SlackApiError as exc:
                status = getattr(exc.response, "status_code", 200)
                error = str(exc.response.get("error", "")) if exc.response is not None else ""
                if status == 429 or error == "ratelimited":
                    seconds = _retry_after(exc)
                    log.info("slack asked to wait %s s in %s", seconds, channel)
                    self.metrics.retried("slack", "rate_limited")
                    self.limiter.pause(channel, seconds + 0.05)
                    continue
                if status >= 500 or error in TRANSIENT:
                    failures += 1
                    self.metrics.retried("slack", "server_error")
                    await asyncio.sleep(min(0.1 * 2**failures, MAX_BACKOFF))
                    continue
                if error in cant:
                    log.warning("slack refused %s: %s", method, error)
                    return False, {}
                log.info("slack %s not delivered: %s", method, error)
                return True, {}
            except (aiohttp.ClientError, TimeoutError, SlackRequestError) as exc:
                failures += 1
                log.info("slack unreachable (attempt %d): %s", failures, exc)
                self.metrics.retried("slack", "network")
                await asyncio.sleep(min(0.1 * 2**failures, MAX_BACKOFF))


async def run_quietly(work: Awaitable[None]) -> None:
    """Await cosmetic work, logging instead of raising."""
    try:
        await work
    except Exception:
        log.warning("a slack note failed", exc_info=True)
