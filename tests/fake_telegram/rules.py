"""Telegram's limits and error texts: errors, reply markup and command checks, flood control."""

from __future__ import annotations

import json
import math
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 4096  # UTF-16 code units, counted after entity parsing
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
MAX_CALLBACK_ANSWER = 200

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class ApiError(Exception):
    """A Bot API failure: HTTP status, Telegram's description and optional ``retry_after``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(message: str) -> ApiError:
    return ApiError(400, f"Bad Request: {message}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def utf16_len(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def load_json(value: Any, error: str) -> Any:
    """A JSON-serialized parameter: already decoded (JSON body) or still a string (form data)."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise bad_request(error) from None


_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def _check_button(button: Any) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    elif "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not re.match(r"^(https?|tg)://\S+$", url, re.IGNORECASE):
            raise bad_request("BUTTON_URL_INVALID")
    elif not any(action in button for action in _ACTIONS):
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")


def check_reply_markup(value: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validates ``reply_markup`` like Telegram and returns it decoded (None when absent)."""
    if value is None or value == "":
        return None
    markup = load_json(value, "can't parse reply keyboard markup JSON object")
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
        for row in rows:
            for button in row:
                _check_button(button)
        return {"inline_keyboard": rows}
    if inline_only:
        raise bad_request("inline keyboard expected")
    if any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def check_commands(value: Any) -> list[dict[str, str]]:
    """``setMyCommands``'s ``commands``, validated with TDLib's rules and texts."""
    commands = load_json(value, "can't parse commands JSON object")
    if not isinstance(commands, list) or not all(isinstance(item, dict) for item in commands):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    result = []
    for item in commands:
        command = str(item.get("command", "")).strip().removeprefix("/")
        description = str(item.get("description", "")).strip()
        if not command:
            raise bad_request("command must be non-empty")
        if len(command) > 32:
            raise bad_request("command length must not exceed 32")
        if not description:
            raise bad_request("command description must be non-empty")
        if len(description) > 256:
            raise bad_request("command description length must not exceed 256")
        if not re.fullmatch(r"[a-z0-9_]+", command):
            raise bad_request("BOT_COMMAND_INVALID")
        result.append({"command": command, "description": description})
    return result


@dataclass
class Limits:
    """Flood limits the server enforces on sendMessage/sendPhoto/sendDocument. ``None`` turns one off.

    ``group_per_minute``: messages per rolling ``group_window`` seconds into one group (negative chat id).
    ``chat_per_second`` / ``chat_burst``: a token bucket for every chat — ``chat_burst`` messages at
    once, then ``chat_per_second`` sustained. Off by default; Telegram's real figure is about 1/s.
    """

    group_per_minute: int | None = 20
    group_window: float = 60.0
    chat_per_second: float | None = None
    chat_burst: int = 3


class FloodControl:
    """Counts accepted messages per chat and raises 429 with ``retry_after`` past the limits."""

    def __init__(self, limits: Limits, clock: Callable[[], float]) -> None:
        self.limits, self.clock = limits, clock
        self._group_sent: dict[int, deque[float]] = {}
        self._buckets: dict[int, tuple[float, float]] = {}  # chat id -> (tokens, time of last refill)

    def admit(self, chat_id: int) -> None:
        """Records one message for ``chat_id`` or raises ``ApiError`` 429 without recording it."""
        now, limits = self.clock(), self.limits
        waits = [0.0]
        sent = self._group_sent.setdefault(chat_id, deque())
        while sent and sent[0] <= now - limits.group_window:
            sent.popleft()
        if chat_id < 0 and limits.group_per_minute is not None and len(sent) >= limits.group_per_minute:
            waits.append(sent[0] + limits.group_window - now)
        tokens = float(limits.chat_burst)
        if limits.chat_per_second is not None:
            tokens, last = self._buckets.get(chat_id, (float(limits.chat_burst), now))
            tokens = min(float(limits.chat_burst), tokens + (now - last) * limits.chat_per_second)
            if tokens < 1.0:
                waits.append((1.0 - tokens) / limits.chat_per_second)
        if max(waits) > 0:
            raise too_many_requests(max(1, math.ceil(max(waits))))
        sent.append(now)
        if limits.chat_per_second is not None:
            self._buckets[chat_id] = (tokens - 1.0, now)
