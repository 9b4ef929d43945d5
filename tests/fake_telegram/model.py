"""What the fake server knows: users, chats, the bot's messages, files, answers, and a change notifier."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class FakeUser:
    """A Telegram user. ``to_api()`` is the ``User`` object as the Bot API sends it."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for name in ("last_name", "username", "language_code"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return data


@dataclass
class FakeChat:
    """A chat the bot can see. Private chats have the user's id; groups a negative id.

    ``started``: the bot may write here (the user pressed Start / the bot is in the group).
    ``blocked``: the user blocked the bot (sending fails with 403).
    """

    id: int
    type: str  # "private", "group" or "supergroup"
    title: str | None = None
    user: FakeUser | None = None
    username: str | None = None
    started: bool = True
    blocked: bool = False
    members: dict[int, FakeUser] = field(default_factory=dict)
    next_message_id: int = 1
    user_messages: dict[int, dict[str, Any]] = field(default_factory=dict)

    def new_message_id(self) -> int:
        self.next_message_id += 1
        return self.next_message_id - 1

    def to_api(self) -> dict[str, Any]:
        if self.type == "private" and self.user is not None:
            data = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.last_name:
                data["last_name"] = self.user.last_name
            if self.user.username:
                data["username"] = self.user.username
            return data
        data = {"id": self.id, "type": self.type, "title": self.title or ""}
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class ReceivedFile:
    """A file the bot uploaded, or one a fake user sent (downloadable through ``getFile``)."""

    file_id: str
    file_unique_id: str
    kind: str  # photo, document, voice, sticker
    content: bytes | None = None  # None when the bot sent an URL or an unknown file_id
    filename: str | None = None
    mime_type: str | None = None
    url: str | None = None

    @property
    def file_path(self) -> str:
        return f"{self.kind}s/{self.file_unique_id}"

    @property
    def size(self) -> int:
        return len(self.content or b"")


@dataclass
class SentMessage:
    """A message the bot sent, in its current state (edits applied; older states in ``versions``).

    ``text`` is what the bot sent (with its markup; the caption for photo/document messages),
    ``plain_text`` what the user sees after entity parsing, ``entities`` the parsed entities.
    """

    chat_id: int
    message_id: int
    kind: str  # "text", "photo" or "document"
    text: str | None
    plain_text: str | None
    entities: list[dict[str, Any]]
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    date: int = field(default_factory=lambda: int(time.time()))
    file: ReceivedFile | None = None
    reply_to: dict[str, Any] | None = None
    edit_date: int | None = None
    deleted: bool = False
    versions: list[dict[str, Any]] = field(default_factory=list)

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy(
            {
                "text": self.text,
                "plain_text": self.plain_text,
                "entities": self.entities,
                "reply_markup": self.reply_markup,
            }
        )

    def apply_edit(self, **changes: Any) -> None:
        if not self.versions:
            self.versions.append(self.snapshot())
        for name, value in changes.items():
            setattr(self, name, value)
        self.edit_date = int(time.time())
        self.versions.append(self.snapshot())

    @property
    def edited(self) -> bool:
        return self.edit_date is not None

    @property
    def caption(self) -> str | None:
        return self.text if self.kind != "text" else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    def to_api(self, bot: dict[str, Any], chat: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"message_id": self.message_id, "from": bot, "chat": chat, "date": self.date}
        body_key = "text" if self.kind == "text" else "caption"
        if self.plain_text is not None:
            data[body_key] = self.plain_text
        if self.entities:
            data["entities" if self.kind == "text" else "caption_entities"] = self.entities
        if self.file is not None:
            data.update(file_api(self.file))
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.reply_to is not None:
            data["reply_to_message"] = self.reply_to
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        return data


def file_api(
    f: ReceivedFile, *, width: int = 800, height: int = 600, duration: int = 3, emoji: str = "👍"
) -> dict[str, Any]:
    """The message field describing a file (``photo``, ``document``, ``voice`` or ``sticker``)."""
    base = {"file_id": f.file_id, "file_unique_id": f.file_unique_id, "file_size": f.size}
    if f.kind == "photo":
        small = {**base, "width": 90, "height": 90 * height // max(width, 1)}
        return {"photo": [small, {**base, "width": width, "height": height}]}
    if f.kind == "voice":
        return {"voice": {**base, "duration": duration, "mime_type": f.mime_type or "audio/ogg"}}
    if f.kind == "sticker":
        extra = {"type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False}
        return {"sticker": {**base, **extra, "emoji": emoji}}
    doc = {**base, "file_name": f.filename or "file", "mime_type": f.mime_type or "application/octet-stream"}
    return {"document": doc}


@dataclass
class CallbackAnswer:
    """An ``answerCallbackQuery`` call the bot made."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass
class RecordedRequest:
    """One Bot API call as the server saw it (uploaded files appear as ``<file name (N bytes)>``)."""

    method: str
    params: dict[str, Any]
    status: int = 200
    description: str | None = None


class Notifier:
    """Wakes every waiter when the server's state changes; waiters re-check their condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, probe: Callable[[], T | None], timeout: float, describe: Callable[[], str]) -> T:
        """Returns ``probe()``'s first non-None value; ``TimeoutError`` (with ``describe()``) after ``timeout`` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = probe()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout:g}s waiting for {describe()}")
            await self.changed(remaining)

    async def changed(self, timeout: float) -> None:
        """Waits for the next change or ``timeout`` seconds, whichever comes first."""
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(timeout, 0))
