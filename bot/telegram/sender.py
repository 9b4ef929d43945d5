"""Sending outbox messages to Telegram within its flood limits, and never leaving a founder in silence."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from functools import partial

from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.charts import drawn
from bot.delivery.per_chat import MAX_CHATS, LastWithButtons, TokenBuckets
from bot.metrics import Metrics
from bot.telegram.render import TelegramMessage, plain_parts, render, utf16_length
from core.app.ports import OutboxMessage
from core.messages import Destination, Ephemeral, HomeView, Image, ToChat, UpdatePressed

log = logging.getLogger(__name__)
MAX_BACKOFF = 30.0
MAX_CAPTION = 1024
"""Telegram's limit on a photo's caption, in UTF-16 units."""
MAX_IN_FLIGHT = 4
GROUP_WINDOW = 60.0


class RateLimiter:
    """Per chat: about 1 message/s in a private chat (a small burst), at most 20 in any rolling minute in a group.

    Groups keep the send times of the last minute, so a burst never goes past Telegram's limit (a token
    bucket refilling while it drains let up to 40 through in the first minute, and Telegram answered 429).
    """

    def __init__(
        self,
        private_per_second: float = 1.0,
        private_burst: int = 3,
        group_per_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.private = TokenBuckets[int](private_per_second, private_burst)
        self.group_limit = group_per_minute
        self.clock = clock
        self.windows: dict[int, deque[float]] = {}

    def delay(self, chat_id: int) -> float:
        """Reserve one send for the chat; how long to wait before making it (0 when it may go now)."""
        now = self.clock()
        if chat_id < 0:
            return self._group_delay(chat_id, now)
        return self.private.reserve(chat_id, now)

    def _group_delay(self, chat_id: int, now: float) -> float:
        self._forget_idle(now)
        window = self.windows.setdefault(chat_id, deque())
        while window and window[0] <= now - GROUP_WINDOW:
            window.popleft()
        # The send goes out at the earliest moment the window has room; reserve that moment.
        at = now if len(window) < self.group_limit else window[-self.group_limit] + GROUP_WINDOW
        window.append(max(at, window[-1] if window else at))
        return max(0.0, window[-1] - now)

    def _forget_idle(self, now: float) -> None:
        if len(self.windows) > MAX_CHATS:
            self.windows = {chat: w for chat, w in self.windows.items() if w and now - w[-1] < GROUP_WINDOW}


def chat_id_of(destination: Destination) -> int:
    """The Telegram chat a destination means; a person's private chat has their user id (a Telegram fact).

    Telegram has no ephemeral messages: one goes to its chat, as any reply there."""
    if isinstance(destination, (ToChat, UpdatePressed, Ephemeral)):
        return int(destination.chat)
    return int(destination.user)


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


class TelegramSender:
    """Implements bot.delivery.relay.Sender for Telegram."""

    def __init__(self, bot: Bot, limiter: RateLimiter | None = None, metrics: Metrics | None = None) -> None:
        self.bot = bot
        self.limiter = limiter or RateLimiter()
        self.metrics = metrics or Metrics()
        # A few requests in flight beat many: each extra one is another connection for the HTTP pool to juggle.
        self.in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.with_buttons = LastWithButtons[int, int]()

    async def send(self, message: OutboxMessage) -> None:
        """Deliver one message: edit the pressed message or send new ones; refused rich text goes again as plain."""
        destination = message.destination
        if isinstance(destination, HomeView):
            log.info("telegram has no home view; message %s dropped", message.id)
            return
        chat_id = chat_id_of(destination)
        reply = message.reply
        if reply.images and await self.send_images(chat_id, reply.images):
            reply = reply.without_images()  # each chart went as a photo, its alt text as the caption
        parts = render(reply)
        if message.reply.closes_buttons:
            await self.close_buttons(chat_id)
        if isinstance(destination, UpdatePressed) and len(parts) == 1:
            if await self.edit(chat_id, int(destination.message), parts[0]):
                return
        for part in parts:
            if not await self.send_part(chat_id, part):
                await self._send_plain(chat_id, message)
                return

    async def edit(self, chat_id: int, message_id: int, part: TelegramMessage) -> bool:
        """Replace a sent message's text and buttons; False when Telegram refuses (then send it anew)."""
        return await self._call(
            lambda: self.bot.edit_message_text(
                part.text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML, reply_markup=part.keyboard
            ),
            limit_chat=None,
        )

    async def edit_html(self, chat_id: int, message_id: int, text_html: str) -> None:
        """Show the answer on a pressed message (cosmetic: a refusal is only logged)."""
        await self.edit(chat_id, message_id, TelegramMessage(text_html))

    async def send_part(self, chat_id: int, part: TelegramMessage, html: bool = True) -> bool:
        """One sendMessage within the chat's limits; False when Telegram refuses it for good."""
        sent: list[Message] = []

        async def send() -> None:
            mode = ParseMode.HTML if html else None
            sent.append(await self.bot.send_message(chat_id, part.text, parse_mode=mode, reply_markup=part.keyboard))

        delivered = await self._call(send, limit_chat=chat_id)
        if sent and part.keyboard is not None:
            self.with_buttons.remember(chat_id, sent[0].message_id)
        return delivered

    async def send_images(self, chat_id: int, images: Sequence[Image]) -> bool:
        """Each chart as a photo with its alt text as the caption; False when one could not go (its alt text then
        stays in the message)."""
        for image in images:
            png = await drawn(image)
            if png is None:
                return False
            caption = image.alt if utf16_length(image.alt) <= MAX_CAPTION else image.alt[: MAX_CAPTION // 2] + "…"
            if not await self._call(partial(self.bot.send_photo, chat_id, photo=png, caption=caption), chat_id):
                return False
        return True

    async def close_buttons(self, chat_id: int) -> None:
        """Take the buttons off the last message that had them (cosmetic: a refusal is only logged)."""
        message_id = self.with_buttons.take(chat_id)
        if message_id is not None:
            await self._call(
                lambda: self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None),
                limit_chat=None,
            )

    async def note(self, chat_id: int, text_html: str) -> None:
        """A short note outside the outbox (nothing stored depends on it)."""
        await self.send_part(chat_id, TelegramMessage(text_html))

    async def _send_plain(self, chat_id: int, message: OutboxMessage) -> None:
        """The fallback when Telegram refuses the rendered message: plain text, split, buttons kept if they pass."""
        log.warning("telegram refused message %s; sending it as plain text", message.id)
        for part in plain_parts(message.reply):
            if not await self.send_part(chat_id, part, html=False) and part.keyboard is not None:
                await self.send_part(chat_id, TelegramMessage(part.text), html=False)

    async def _call(self, send: Callable[[], Awaitable[object]], limit_chat: int | None) -> bool:
        """Send until Telegram takes it: wait out 429s and retry network trouble with backoff (never drop a
        message); False only when Telegram says this request can never succeed (a bad request, a blocked bot)."""
        failures = 0
        while True:
            if limit_chat is not None:
                delay = self.limiter.delay(limit_chat)
                if delay:
                    await asyncio.sleep(delay)
            try:
                async with self.in_flight:
                    await send()
                return True
            except RetryAfter as exc:
                log.info("telegram asked to wait %s s", exc.retry_after)
                self.metrics.retried("telegram", "rate_limited")
                await asyncio.sleep(_seconds(exc.retry_after) + 0.05)
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return True
                log.warning("telegram refused a request: %s", exc)
                return False
            except Forbidden as exc:
                log.info("telegram chat unreachable: %s", exc)
                return True  # blocked or removed: nobody is there to read it
            except (TimedOut, NetworkError) as exc:
                failures += 1
                log.info("telegram unreachable (attempt %d): %s", failures, exc)
                self.metrics.retried("telegram", "network")
                await asyncio.sleep(min(0.1 * 2**failures, MAX_BACKOFF))
