"""Sending committed replies to Telegram in order, within its flood limits, and never dropping one."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.render import TelegramMessage, render
from core.app.ports import OutboxMessage

log = logging.getLogger(__name__)
MAX_BACKOFF = 30.0
MAX_IN_FLIGHT = 4
MAX_BUCKETS = 10_000
IDLE_SECONDS = 120.0


class RateLimiter:
    """Token buckets per chat: about 1 message/s in a private chat (small burst), 20/min in a group."""

    def __init__(
        self,
        private_per_second: float = 1.0,
        private_burst: int = 3,
        group_per_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.private_rate, self.private_burst = private_per_second, private_burst
        self.group_rate, self.group_burst = group_per_minute / 60, group_per_minute
        self.clock = clock
        self.buckets: dict[int, tuple[float, float]] = {}

    def delay(self, chat_id: int) -> float:
        """Take one token for the chat; how long to wait before sending (0 when a token was there)."""
        rate, burst = (self.group_rate, self.group_burst) if chat_id < 0 else (self.private_rate, self.private_burst)
        now = self.clock()
        if len(self.buckets) > MAX_BUCKETS:  # forget chats idle long enough to have a full bucket again
            self.buckets = {chat: (t, at) for chat, (t, at) in self.buckets.items() if now - at < IDLE_SECONDS}
        tokens, last = self.buckets.get(chat_id, (float(burst), now))
        tokens = min(float(burst), tokens + (now - last) * rate) - 1
        self.buckets[chat_id] = (tokens, now)
        return 0.0 if tokens >= 0 else -tokens / rate


@dataclass(frozen=True)
class PressedEdit:
    """What the message whose button was pressed should now show (its outbox row, when it is a reply)."""

    chat_id: int
    message_id: int
    text_html: str
    keyboard: InlineKeyboardMarkup | None = None
    outbox_id: int | None = None


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


class Dispatcher:
    """Delivers outbox messages per chat in commit order; marks each one sent only after Telegram took it."""

    def __init__(self, bot: Bot, on_delivered: Callable[[Sequence[int]], None], limiter: RateLimiter | None = None):
        self.bot, self.on_delivered = bot, on_delivered
        self.limiter = limiter or RateLimiter()
        self.locks: dict[int, asyncio.Lock] = {}
        # A few requests in flight beat many: each extra one is another connection for the HTTP pool to juggle.
        self.in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        self.tasks: set[asyncio.Task[None]] = set()

    def submit(self, messages: Sequence[OutboxMessage], edit: PressedEdit | None = None) -> None:
        """Deliver in the background (the update handler returns at once); order per chat is kept."""
        if not messages and edit is None:
            return
        self.track(asyncio.create_task(self.deliver(messages, edit)))

    def track(self, task: asyncio.Task[None]) -> None:
        """Keep a background delivery alive and known to drain()."""
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def deliver(self, messages: Sequence[OutboxMessage], edit: PressedEdit | None = None) -> None:
        """Send now, in commit order per chat; first edit the message whose button was pressed, if any."""
        by_chat: dict[int, list[OutboxMessage]] = {}
        if edit is not None:
            by_chat[edit.chat_id] = []
        for message in messages:
            by_chat.setdefault(int(message.address[2]), []).append(message)
        for chat_id, mine in by_chat.items():
            lock = self.locks.setdefault(chat_id, asyncio.Lock())
            async with lock:
                if edit is not None and edit.chat_id == chat_id:
                    await self._call(
                        lambda: self.bot.edit_message_text(
                            edit.text_html,
                            chat_id=edit.chat_id,
                            message_id=edit.message_id,
                            parse_mode=ParseMode.HTML,
                            reply_markup=edit.keyboard,
                        )
                    )
                    if edit.outbox_id is not None:
                        self.on_delivered([edit.outbox_id])
                for message in mine:
                    for part in render(message.reply):
                        await self._send(chat_id, part)
                    self.on_delivered([message.id])

    async def say(self, chat_id: int, text_html: str) -> None:
        """A note outside the outbox (nothing stored depends on it), in order and within the limits."""
        async with self.locks.setdefault(chat_id, asyncio.Lock()):
            await self._send(chat_id, TelegramMessage(text_html))

    async def _send(self, chat_id: int, part: TelegramMessage) -> None:
        delay = self.limiter.delay(chat_id)
        if delay:
            await asyncio.sleep(delay)
        await self._call(
            lambda: self.bot.send_message(chat_id, part.text, parse_mode=ParseMode.HTML, reply_markup=part.keyboard)
        )

    async def _call(self, send: Callable[[], Awaitable[object]]) -> None:
        """Send until Telegram takes it: wait out 429s, retry network trouble with backoff (never drop a reply);
        give up only when Telegram says the message can never be delivered (bad request, blocked bot)."""
        failures = 0
        while True:
            try:
                async with self.in_flight:
                    await send()
                return
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after) + 0.05)
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():
                    log.warning("telegram refused a message for good: %s", exc)
                return
            except Forbidden as exc:
                log.info("telegram chat unreachable: %s", exc)
                return
            except (TimedOut, NetworkError) as exc:
                failures += 1
                log.info("telegram unreachable (attempt %d): %s", failures, exc)
                await asyncio.sleep(min(0.1 * 2**failures, MAX_BACKOFF))

    async def drain(self, timeout: float | None = None) -> None:
        """Wait for background deliveries; past the timeout they are cancelled and stay in the outbox for the
        next start's sweep (nothing is marked sent that Telegram did not take)."""
        if not self.tasks:
            return
        _done, pending = await asyncio.wait(list(self.tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
