"""The bot's update queue: numbering, getUpdates long polling, and webhook delivery."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from tests.fake_telegram.model import Notifier
from tests.fake_telegram.rules import POLL_CONFLICT, WEBHOOK_CONFLICT, ApiError

# Telegram leaves these out unless allowed_updates names them.
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class WebhookDelivery:
    """One POST of an update to the webhook: ``status`` is the HTTP status, or None when it failed to connect."""

    update_id: int
    status: int | None
    error: str | None = None


@dataclass
class Webhook:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None
    deliveries: list[WebhookDelivery] = field(default_factory=list)


def update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """Pending updates in ``update_id`` order, handed out by ``poll`` or POSTed to a webhook.

    An update stays pending until confirmed (a later ``getUpdates`` offset, or a 2xx from the
    webhook). ``redeliver`` queues a copy with the same ``update_id`` that is handed out once more
    even if its id was already confirmed — the way a crash before confirming looks to the bot.
    """

    def __init__(self, notifier: Notifier, *, max_poll_timeout: float, webhook_timeout: float) -> None:
        self.notifier = notifier
        self.max_poll_timeout, self.webhook_timeout = max_poll_timeout, webhook_timeout
        self.pending: list[dict[str, Any]] = []
        self.forced: list[dict[str, Any]] = []
        self.next_update_id = 100_001
        self.allowed_updates: list[str] = []
        self.webhook = Webhook()
        self.closing = False
        self._poll_generation = 0
        self._worker: asyncio.Task[None] | None = None

    # -- adding -------------------------------------------------------------------------------
    def add(self, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self.next_update_id, **payload}
        self.next_update_id += 1
        self.pending.append(update)
        self.notifier.notify()
        return update

    def redeliver(self, update: dict[str, Any]) -> dict[str, Any]:
        again = copy.deepcopy(update)
        self.forced.append(again)
        self.notifier.notify()
        return again

    def is_pending(self, update_id: int) -> bool:
        return any(u["update_id"] == update_id for u in self.forced + self.pending)

    # -- handing out ---------------------------------------------------------------------------
    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = update_type(update)
        return kind in self.allowed_updates if self.allowed_updates else kind not in NOT_BY_DEFAULT

    def confirm(self, offset: int | None) -> None:
        if offset is not None and offset < 0:
            self.pending = self.pending[offset:]
        elif offset:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        self.pending = [u for u in self.pending if self._allowed(u)]
        self.notifier.notify()

    def _take(self, limit: int) -> list[dict[str, Any]]:
        forced, self.forced = self.forced[:limit], self.forced[limit:]
        batch = forced + self.pending[: limit - len(forced)]
        if forced:
            self.notifier.notify()
        return batch

    async def poll(
        self, offset: int | None, limit: int, timeout: float, allowed_updates: list[str] | None
    ) -> list[dict[str, Any]]:
        """``getUpdates``: confirm below ``offset``, then return at once or when an update arrives."""
        if self.webhook.url:
            raise ApiError(409, WEBHOOK_CONFLICT)
        self._poll_generation += 1
        generation = self._poll_generation
        if allowed_updates is not None:
            self.allowed_updates = list(allowed_updates)
        self.confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(max(timeout, 0.0), self.max_poll_timeout)
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)
            if self.webhook.url:
                raise ApiError(409, WEBHOOK_CONFLICT)
            self.pending = [u for u in self.pending if self._allowed(u)]
            batch = self._take(max(1, min(limit, 100)))
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self.closing:
                return batch
            await self.notifier.changed(remaining)

    # -- webhook -------------------------------------------------------------------------------
    def set_webhook(self, url: str, secret_token: str | None, max_connections: int) -> None:
        self.webhook.url, self.webhook.secret_token = url, secret_token
        self.webhook.max_connections = max_connections
        self._poll_generation += 1  # a waiting getUpdates ends with 409
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._deliver_loop(), name="fake-telegram-webhook")
        self.notifier.notify()

    def delete_webhook(self) -> bool:
        was_set = bool(self.webhook.url)
        self.webhook.url, self.webhook.secret_token = "", None
        self.notifier.notify()
        return was_set

    def drop_pending(self) -> None:
        self.pending.clear()
        self.forced.clear()
        self.notifier.notify()

    async def _deliver_loop(self) -> None:
        timeout = aiohttp.ClientTimeout(total=self.webhook_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while self.webhook.url and not self.closing:
                candidates = self.forced[:1] or [u for u in self.pending if self._allowed(u)][:1]
                if not candidates:
                    await self.notifier.changed(1.0)
                    continue
                if not await self._post(session, candidates[0]):
                    await asyncio.sleep(0.2)  # Telegram retries later too; keep tests quick

    async def _post(self, session: aiohttp.ClientSession, update: dict[str, Any]) -> bool:
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.secret_token} if self.webhook.secret_token else {}
        status, error = None, None
        try:
            async with session.post(self.webhook.url, json=update, headers=headers) as response:
                status = response.status
                if not 200 <= status < 300:
                    error = f"Wrong response from the webhook: {status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"Connection failed: {type(exc).__name__}: {exc}"
        self.webhook.deliveries.append(WebhookDelivery(update["update_id"], status, error))
        if error is None:
            for queue in (self.forced, self.pending):
                queue[:] = [u for u in queue if u is not update]
        else:
            self.webhook.last_error_date, self.webhook.last_error_message = int(time.time()), error
        self.notifier.notify()
        return error is None

    def webhook_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending) + len(self.forced),
        }
        if self.webhook.url:
            info["max_connections"] = self.webhook.max_connections
            if self.allowed_updates:
                info["allowed_updates"] = self.allowed_updates
        if self.webhook.last_error_date is not None:
            info["last_error_date"] = self.webhook.last_error_date
            info["last_error_message"] = self.webhook.last_error_message
        return info

    async def close(self) -> None:
        self.closing = True
        self.notifier.notify()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
