"""What fake users do: register, write, press buttons, send media — each becomes a queued update."""

from __future__ import annotations

import copy
import itertools
import re
import time
from typing import Any

from tests.fake_telegram.model import FakeChat, FakeUser, file_api
from tests.fake_telegram.rules import utf16_len
from tests.fake_telegram.world import ChatRef, World

UserRef = FakeUser | int
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?(?=\s|$)")


class Injector(World):
    """Registration and injection API. Every ``inject_*`` returns the update dict it queued."""

    def __init__(self, **world: Any) -> None:
        super().__init__(**world)
        self._user_ids = itertools.count(10_001)
        self._group_ids, self._query_ids = itertools.count(1), itertools.count(1)

    # -- registration -------------------------------------------------------------------------
    def add_user(
        self,
        first_name: str = "Alice",
        *,
        user_id: int | None = None,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "en",
        started: bool = True,
    ) -> FakeUser:
        """A user and their private chat (``started=False``: never pressed Start, so the bot gets 403)."""
        user = FakeUser(user_id or next(self._user_ids), first_name, username, last_name, language_code)
        self.users[user.id] = user
        self.chats[user.id] = FakeChat(user.id, "private", user=user, started=started)
        return user

    def add_group(
        self,
        title: str = "Founders",
        *,
        chat_id: int | None = None,
        members: tuple[FakeUser, ...] | list[FakeUser] = (),
        supergroup: bool = False,
        username: str | None = None,
    ) -> FakeChat:
        """A group with the bot in it (negative id; supergroups get Telegram's -100... ids)."""
        n = next(self._group_ids)
        default_id = -(1_000_000_000_000 + 4_000_000_000 + n) if supergroup else -(4_000_000_000 + n)
        group = FakeChat(chat_id or default_id, "supergroup" if supergroup else "group", title, username=username)
        group.members = {m.id: m for m in members}
        self.chats[group.id] = group
        return group

    def block(self, user: UserRef, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: sends to them fail with 403."""
        self.chat(self._user(user).id).blocked = blocked

    # -- injection ------------------------------------------------------------------------------
    async def inject_text(
        self,
        user: UserRef,
        text: str,
        *,
        chat: ChatRef | None = None,
        entities: list[dict[str, Any]] | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """A text message from ``user`` (private chat unless ``chat``); a leading /command gets its entity."""
        if entities is None:
            match = _COMMAND.match(text)
            entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}] if match else []
        fields: dict[str, Any] = {"text": text}
        if entities:
            fields["entities"] = entities
        return self._queue("message", self._user_message(user, chat, fields, reply_to))

    async def inject_command(
        self, user: UserRef, command: str, args: str = "", *, chat: ChatRef | None = None, mention: bool = False
    ) -> dict[str, Any]:
        """``/command args`` (``mention=True`` writes ``/command@botname`` as group clients do)."""
        head = "/" + command.removeprefix("/") + (f"@{self.bot.username}" if mention else "")
        return await self.inject_text(user, f"{head} {args}".rstrip(), chat=chat)

    async def inject_callback(
        self,
        user: UserRef,
        message_id: int,
        data: str | None = None,
        *,
        chat: ChatRef | None = None,
        button_text: str | None = None,
    ) -> dict[str, Any]:
        """``user`` presses the button carrying ``data`` (or labelled ``button_text``) on a bot message.

        Raises ``LookupError`` when no such message or button exists — pressing what the bot never
        showed is a mistake in the test. The query id is ``update["callback_query"]["id"]``.
        """
        sender = self._user(user)
        where = self.chat(chat if chat is not None else sender.id)
        message = self.message(where, message_id)
        if message is None or message.deleted:
            raise LookupError(f"the bot has no message {message_id} in chat {where.id}")
        wanted = {k: v for k, v in (("callback_data", data), ("text", button_text)) if v is not None}
        button = next((b for b in message.buttons if all(b.get(k) == v for k, v in wanted.items())), None)
        if button is None or "callback_data" not in button:
            raise LookupError(f"no button {data or button_text!r} on message {message_id}: {message.buttons}")
        query_id = str(4_000_000_000_000 + next(self._query_ids))
        self.callback_queries[query_id] = {"answered": False, "chat_id": where.id, "message_id": message_id}
        query = {
            "id": query_id,
            "from": sender.to_api(),
            "message": message.to_api(self.bot.to_api(), where.to_api()),
            "chat_instance": str(abs(where.id) * 7919),
            "data": button["callback_data"],
        }
        return self._queue("callback_query", query)

    async def inject_voice(
        self, user: UserRef, *, chat: ChatRef | None = None, duration: int = 3, content: bytes = b"OggS fake voice"
    ) -> dict[str, Any]:
        """A voice note; the bot can download ``content`` through getFile."""
        f = self.new_file("voice", content, mime_type="audio/ogg")
        return self._queue("message", self._user_message(user, chat, file_api(f, duration=duration)))

    async def inject_photo(
        self,
        user: UserRef,
        *,
        chat: ChatRef | None = None,
        caption: str | None = None,
        content: bytes = b"\x89PNG fake photo",
    ) -> dict[str, Any]:
        f = self.new_file("photo", content, mime_type="image/jpeg")
        fields = {**file_api(f), **({"caption": caption} if caption else {})}
        return self._queue("message", self._user_message(user, chat, fields))

    async def inject_sticker(self, user: UserRef, *, chat: ChatRef | None = None, emoji: str = "👍") -> dict[str, Any]:
        f = self.new_file("sticker", b"RIFF fake webp", mime_type="image/webp")
        return self._queue("message", self._user_message(user, chat, file_api(f, emoji=emoji)))

    async def inject_edit(
        self, user: UserRef, message_id: int, text: str, *, chat: ChatRef | None = None
    ) -> dict[str, Any]:
        """``user`` edits their earlier message ``message_id`` to ``text`` (an ``edited_message`` update)."""
        where = self.chat(chat if chat is not None else self._user(user).id)
        original = where.user_messages.get(message_id)
        if original is None:
            raise LookupError(f"{user} sent no message {message_id} in chat {where.id}")
        original.update(text=text, edit_date=int(time.time()))
        original.pop("entities", None)
        return self._queue("edited_message", copy.deepcopy(original))

    async def inject_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queues any update body as is (e.g. ``{"my_chat_member": {...}}``); the server adds ``update_id``."""
        return self.updates.add(payload)

    async def redeliver(self, update: dict[str, Any]) -> dict[str, Any]:
        """Delivers the same update (same ``update_id``) once more, even if the bot confirmed it."""
        return self.updates.redeliver(update)

    # -- helpers ----------------------------------------------------------------------------------
    def _user(self, user: UserRef) -> FakeUser:
        return user if isinstance(user, FakeUser) else self.users[user]

    def _user_message(
        self, user: UserRef, chat: ChatRef | None, fields: dict[str, Any], reply_to: int | None = None
    ) -> dict[str, Any]:
        sender = self._user(user)
        where = self.chat(chat if chat is not None else sender.id)
        where.started = True  # a user who writes has "talked" to the bot
        where.members.setdefault(sender.id, sender)
        message: dict[str, Any] = {
            "message_id": where.new_message_id(),
            "from": sender.to_api(),
            "chat": where.to_api(),
            "date": int(time.time()),
            **fields,
        }
        if reply_to is not None:
            own = self.message(where, reply_to)
            replied = own.to_api(self.bot.to_api(), where.to_api()) if own else where.user_messages.get(reply_to)
            if replied is None:
                raise LookupError(f"no message {reply_to} in chat {where.id} to reply to")
            message["reply_to_message"] = replied
        where.user_messages[message["message_id"]] = copy.deepcopy(message)
        return message

    def _queue(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.updates.add({kind: body})
