"""The fake Telegram's state, and the read and wait API tests use to inspect what the bot did."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from tests.fake_telegram.model import (
    CallbackAnswer,
    FakeChat,
    FakeUser,
    Notifier,
    ReceivedFile,
    RecordedRequest,
    SentMessage,
)
from tests.fake_telegram.rules import ApiError, FloodControl, Limits
from tests.fake_telegram.updates import UpdateQueue

T = TypeVar("T")
ChatRef = FakeChat | FakeUser | int  # a chat, the user of a private chat, or a chat id


def chat_id_of(chat: ChatRef) -> int:
    return chat if isinstance(chat, int) else chat.id


def scope_key(scope: dict[str, Any] | None) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


class World:
    """Users, chats, the bot's messages and calls. All read helpers take a ``ChatRef``."""

    def __init__(
        self,
        *,
        bot: FakeUser,
        limits: Limits,
        clock: Callable[[], float],
        strict_ampersand: bool,
        max_poll_timeout: float,
        webhook_timeout: float,
    ) -> None:
        self.notifier = Notifier()
        self.bot = bot
        self.strict_ampersand = strict_ampersand
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        self.sent: defaultdict[int, list[SentMessage]] = defaultdict(list)
        self.files: dict[str, ReceivedFile] = {}
        self.uploads: list[ReceivedFile] = []  # files the bot sent, in order
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.callback_answers: list[CallbackAnswer] = []
        self.command_lists: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.requests: list[RecordedRequest] = []
        self.delays: dict[str, float] = {}
        self.gates: dict[str, asyncio.Event] = {}
        self.request_counts: Counter[str] = Counter()
        self.flood = FloodControl(limits, clock)
        self.updates = UpdateQueue(self.notifier, max_poll_timeout=max_poll_timeout, webhook_timeout=webhook_timeout)
        self._failures: defaultdict[str, list[ApiError]] = defaultdict(list)
        self._ids = itertools.count(1)

    def changed(self) -> None:
        self.notifier.notify()

    def new_file(self, kind: str, content: bytes | None, **details: Any) -> ReceivedFile:
        n = next(self._ids)
        f = ReceivedFile(f"fake-{kind}-{n:06d}", f"u{kind[:3]}{n:06d}", kind, content, **details)
        self.files[f.file_id] = f
        return f

    # -- reading ------------------------------------------------------------------------------------
    def chat(self, chat: ChatRef) -> FakeChat:
        """The chat (``KeyError`` if the test never registered it nor did anyone talk there)."""
        return self.chats[chat_id_of(chat)]

    def messages(self, chat: ChatRef) -> list[SentMessage]:
        """The bot's messages in ``chat``, oldest first, edits applied, deleted ones left out."""
        return [m for m in self.sent.get(chat_id_of(chat), []) if not m.deleted]

    def last_message(self, chat: ChatRef) -> SentMessage | None:
        found = self.messages(chat)
        return found[-1] if found else None

    def message(self, chat: ChatRef, message_id: int) -> SentMessage | None:
        """The bot's message ``message_id`` in ``chat`` (also when deleted), or None."""
        return next((m for m in self.sent.get(chat_id_of(chat), []) if m.message_id == message_id), None)

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, str]]:
        """The list ``setMyCommands`` stored for this scope (default: ``{"type": "default"}``) and language."""
        return self.command_lists.get((scope_key(scope), language_code), [])

    def count(self, method: str) -> int:
        """How many times the bot called ``method`` (official spelling, e.g. "sendMessage")."""
        return self.request_counts[method]

    def fail_next(
        self, method: str, description: str, *, status: int = 400, retry_after: int | None = None, times: int = 1
    ) -> None:
        """Makes the next ``times`` calls of ``method`` fail with this error (e.g. a 429 or a 502)."""
        self._failures[method].extend(ApiError(status, description, retry_after) for _ in range(times))

    def clear_failures(self, method: str | None = None) -> None:
        """Forget queued failures (of one method, or all): the API is healthy again."""
        if method is None:
            self._failures.clear()
        else:
            self._failures.pop(method, None)

    def slow_down(self, method: str, seconds: float) -> None:
        """Every later call of ``method`` is answered ``seconds`` late (0: at once again); the call is recorded
        when it arrives."""
        self.delays[method] = seconds

    def hold(self, method: str) -> asyncio.Event:
        """Every later call of ``method`` is answered only once the returned event is set (the call is recorded
        when it arrives): a request kept in flight for exactly as long as a test needs."""
        gate = self.gates[method] = asyncio.Event()
        return gate

    def take_failure(self, method: str) -> ApiError | None:
        queued = self._failures.get(method)
        return queued.pop(0) if queued else None

    # -- waiting (never sleeps blindly: each change to the state wakes the waiters) -----------------
    async def wait_until(self, probe: Callable[[], T | None], timeout: float = 5.0, what: str = "a condition") -> T:
        """Returns ``probe()``'s first non-None result, re-checked on every change; ``TimeoutError`` otherwise."""
        return await self.notifier.wait_for(probe, timeout, lambda: what)

    async def wait_for_message(
        self,
        chat: ChatRef,
        predicate: Callable[[SentMessage], bool] | None = None,
        *,
        after: SentMessage | int | None = None,
        timeout: float = 5.0,
    ) -> SentMessage:
        """The first bot message in ``chat`` matching ``predicate`` (current state, so an edit can match).

        ``after``: only messages with a higher ``message_id`` than this message (or id) count.
        """
        floor = after.message_id if isinstance(after, SentMessage) else (after or 0)

        def probe() -> SentMessage | None:
            return next(
                (m for m in self.messages(chat) if m.message_id > floor and (predicate is None or predicate(m))),
                None,
            )

        return await self.notifier.wait_for(probe, timeout, lambda: self._describe(chat, "a message"))

    async def wait_for_edit(
        self,
        chat: ChatRef,
        message_id: int,
        predicate: Callable[[SentMessage], bool] | None = None,
        *,
        timeout: float = 5.0,
    ) -> SentMessage:
        """Message ``message_id`` once it has been edited and (optionally) matches ``predicate``."""

        def probe() -> SentMessage | None:
            m = self.message(chat, message_id)
            return m if m is not None and m.edited and (predicate is None or predicate(m)) else None

        return await self.notifier.wait_for(probe, timeout, lambda: self._describe(chat, f"an edit of {message_id}"))

    async def wait_for_callback_answer(self, callback_query_id: str, timeout: float = 5.0) -> CallbackAnswer:
        def probe() -> CallbackAnswer | None:
            return next((a for a in self.callback_answers if a.callback_query_id == callback_query_id), None)

        return await self.notifier.wait_for(probe, timeout, lambda: f"answerCallbackQuery({callback_query_id!r})")

    async def wait_for_request(self, method: str, count: int = 1, timeout: float = 5.0) -> RecordedRequest:
        """The ``count``-th call of ``method`` (counting from the server's start), once it has arrived."""

        def probe() -> RecordedRequest | None:
            calls = [r for r in self.requests if r.method == method]
            return calls[count - 1] if len(calls) >= count else None

        return await self.notifier.wait_for(probe, timeout, lambda: f"{count} call(s) of {method}")

    async def wait_until_confirmed(self, update: dict[str, Any] | int, timeout: float = 5.0) -> None:
        """Until the bot confirmed the update (later getUpdates offset, or a 2xx from its webhook)."""
        update_id = update if isinstance(update, int) else update["update_id"]
        await self.notifier.wait_for(
            lambda: True if not self.updates.is_pending(update_id) else None, timeout, lambda: f"update {update_id}"
        )

    def _describe(self, chat: ChatRef, what: str) -> str:
        seen = [(m.message_id, m.plain_text) for m in self.messages(chat)]
        return f"{what} in chat {chat_id_of(chat)}; the bot's messages there: {seen}"
