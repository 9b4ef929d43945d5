"""Reading a call's parameters, and the checks several methods share (chat, text, reply)."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.web_request import FileField

from tests.fake_telegram.model import FakeChat
from tests.fake_telegram.rules import ApiError, bad_request, load_json
from tests.fake_telegram.tg_html import parse_html
from tests.fake_telegram.world import World


class Params:
    """A call's parameters from the query string, a JSON body, a form or a multipart body."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None or isinstance(value, FileField) else str(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str, default: float) -> float:
        value = self.values.get(name)
        try:
            return default if value in (None, "") else float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        return value is True or str(value).lower() in ("true", "1", "yes")

    def json(self, name: str, error: str) -> Any:
        value = self.values.get(name)
        return None if value in (None, "") else load_json(value, error)


def target_chat(srv: World, p: Params) -> FakeChat:
    """The ``chat_id`` chat, if the bot may write there (Telegram's 400/403 texts otherwise)."""
    ref = p.text("chat_id")
    if not ref:
        raise bad_request("chat_id is empty")
    if ref.startswith("@"):
        chat = next((c for c in srv.chats.values() if c.username and f"@{c.username}" == ref), None)
    else:
        chat = srv.chats.get(int(ref)) if re.fullmatch(r"-?\d+", ref) else None
    if chat is None:
        raise bad_request("chat not found")
    if chat.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    if not chat.started:
        text = "bot can't initiate conversation with a user" if chat.type == "private" else "bot is not a member"
        raise ApiError(403, f"Forbidden: {text}")
    return chat


def formatted(srv: World, p: Params, field: str, entities_field: str) -> tuple[str, str, list[dict[str, Any]]]:
    """(text as sent, plain text, entities) after applying ``parse_mode`` like Telegram."""
    text = p.text(field) or ""
    mode = (p.text("parse_mode") or "").lower()
    if mode == "html":
        plain, entities = parse_html(text, strict_ampersand=srv.strict_ampersand)
        return text, plain, entities
    if mode and mode not in ("markdown", "markdownv2"):
        raise bad_request("unsupported parse_mode")
    entities = p.json(entities_field, f"can't parse {entities_field} JSON object") or []
    return text, text, entities  # Markdown modes are not parsed: their length counts as sent


def reply_target(srv: World, p: Params, chat: FakeChat) -> dict[str, Any] | None:
    reply = p.json("reply_parameters", "can't parse reply parameters JSON object") or {}
    message_id = reply.get("message_id") or p.integer("reply_to_message_id")
    if not message_id:
        return None
    own = srv.message(chat, int(message_id))
    found = own.to_api(srv.bot.to_api(), chat.to_api()) if own else chat.user_messages.get(int(message_id))
    if found is None and not (reply.get("allow_sending_without_reply") or p.flag("allow_sending_without_reply")):
        raise bad_request("message to be replied not found")
    return found
