"""Core Replies as Telegram messages: escaped HTML in chunks of at most 4096 characters, inline keyboards."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.messages import Choice, Reply

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64
ACTIONS_PER_ROW = 3
_TAGS = {"bold": ("<b>", "</b>"), "italic": ("<i>", "</i>"), "code": ("<code>", "</code>"), "quote": ("<i>", "</i>")}


@dataclass(frozen=True)
class TelegramMessage:
    """One sendMessage call: HTML text and, on the last chunk only, the keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units, after entities are parsed."""
    return len(text.encode("utf-16-le")) // 2


def _pieces(text: str, limit: int) -> list[str]:
    """Split one over-long line at spaces (or anywhere, failing that) into pieces Telegram accepts."""
    pieces: list[str] = []
    while utf16_length(text) > limit:
        cut = limit
        while utf16_length(text[:cut]) > limit:
            cut -= 1
        space = text.rfind(" ", 0, cut)
        cut = space + 1 if space > limit // 2 else cut
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _lines(reply: Reply, limit: int) -> list[tuple[str, int]]:
    """The reply as (html, visible length) lines; every line's tags are closed within the line."""
    lines: list[tuple[str, int]] = [("", 0)]
    for span in reply.spans:
        opening, closing = _TAGS.get(span.style, ("", ""))
        for number, part in enumerate(span.text.split("\n")):
            if number:
                lines.append(("", 0))
            for index, piece in enumerate(_pieces(part, limit) if part else []):
                if index:
                    lines.append(("", 0))
                rendered = f"{opening}{html.escape(piece, quote=False)}{closing}"
                markup, length = lines[-1]
                lines[-1] = (markup + rendered, length + utf16_length(piece))
    return lines


def chunks(reply: Reply, limit: int = MAX_TEXT) -> list[str]:
    """The reply's HTML split at line boundaries so no message exceeds the limit."""
    result: list[tuple[str, int]] = []
    for markup, length in _lines(reply, limit):
        if result and result[-1][1] + 1 + length <= limit:
            previous, previous_length = result[-1]
            result[-1] = (f"{previous}\n{markup}", previous_length + 1 + length)
        else:
            result.append((markup, length))
    texts = [markup for markup, _length in result if markup.strip()]
    return texts or ["…"]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """Choices as rows of buttons, navigation actions as a last row."""
    rows = [[_button(choice) for choice in row] for row in reply.choices]
    actions = [_button(action) for action in reply.actions]
    rows += [actions[i : i + ACTIONS_PER_ROW] for i in range(0, len(actions), ACTIONS_PER_ROW)]
    return InlineKeyboardMarkup(rows) if rows else None


def _button(choice: Choice) -> InlineKeyboardButton:
    if choice.url:
        return InlineKeyboardButton(choice.label[:64], url=choice.url)
    if len(choice.payload.encode("utf-8")) > MAX_CALLBACK_BYTES:
        # Engine payloads are "turn|code" with codes of at most 42 ASCII characters (script ids and option
        # values are validated to 40), so this cannot happen; fail loudly rather than send a broken button.
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {choice.payload!r}")
    return InlineKeyboardButton(choice.label[:64], callback_data=choice.payload)


def render(reply: Reply) -> list[TelegramMessage]:
    """The messages one Reply becomes."""
    texts = chunks(reply)
    markup = keyboard(reply)
    return [TelegramMessage(text, markup if index == len(texts) - 1 else None) for index, text in enumerate(texts)]


def plain_parts(reply: Reply) -> list[TelegramMessage]:
    """The reply as plain text (no markup at all) in parts Telegram accepts, the keyboard on the last one."""
    text = reply.plain_text.strip() or "…"
    texts = [piece for line in [text] for piece in _pieces(line, MAX_TEXT)]
    markup = keyboard(reply)
    return [TelegramMessage(piece, markup if index == len(texts) - 1 else None) for index, piece in enumerate(texts)]


def chosen_label(markup: InlineKeyboardMarkup | None, data: str | None) -> str | None:
    """The label of the pressed button, to show the answer on the old message."""
    if markup is None or data is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None
