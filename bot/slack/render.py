"""Core Replies as Slack Block Kit: escaped mrkdwn sections of at most 3,000 characters, at most 50 blocks a message.

Every message also carries a plain `text` (notifications, screen readers, clients without blocks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.command_registry import BY_NAME
from core.messages import (
    Actions,
    Block,
    Bullets,
    Choice,
    Choices,
    Divider,
    Fields,
    Heading,
    Image,
    Paragraph,
    Reply,
    Span,
)

MAX_SECTION = 3000
MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ELEMENTS = 25
MAX_FIELDS = 10
MAX_FIELD = 2000
MAX_FALLBACK = 3000
ACTION_PREFIX = "cusdev:"
"""Every button's action_id starts with this (the adapter listens for it); the payload rides in `value`."""
LINK_PREFIX = "cusdev-link:"
"""A link button's action_id: Slack opens its url and still sends the press, which is only acknowledged."""
_MARKS = {"bold": "*", "italic": "_", "code": "`"}
_COMMAND = re.compile(r"(?<![\w/])/(" + "|".join(sorted(BY_NAME, key=len, reverse=True)) + r")(?![\w-])")

JsonBlock = dict[str, Any]


@dataclass(frozen=True)
class SlackMessage:
    """One chat.postMessage: Block Kit blocks and the plain-text fallback."""

    blocks: list[JsonBlock]
    text: str


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slash(text: str) -> str:
    """Commands as Slack users type them: `/status` becomes `/cusdev status` (Slack has the one command)."""
    if "/" not in text:  # most spans: the pattern would be tried at every character
        return text
    return _COMMAND.sub(r"/cusdev \1", text)


def pieces(text: str, limit: int) -> list[str]:
    """Split text so each piece's escaped form fits the limit, at a space where one is near."""
    pieces: list[str] = []
    while len(escape(text)) > limit:
        cut, size = 0, 0
        while cut < len(text) and size + len(escape(text[cut])) <= limit:
            size += len(escape(text[cut]))
            cut += 1
        space = text.rfind(" ", 0, cut)
        cut = space + 1 if space > cut // 2 else cut
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _styled(piece: str, style: str) -> str:
    """One line-piece in mrkdwn; styles wrap only visible text (Slack shows `**` around blanks literally)."""
    body = escape(piece)
    if style == "quote":
        return "> " + body if piece.strip() else body
    mark = _MARKS.get(style)
    if mark is None or not piece.strip():
        return body
    stripped = body.strip()
    start = body.index(stripped[0])
    return f"{body[:start]}{mark}{stripped}{mark}{body[start + len(stripped) :]}"


def mrkdwn_lines(spans: Iterable[Span], limit: int = MAX_SECTION - 10) -> list[str]:
    """Spans as mrkdwn lines, each within the limit; a style is opened and closed within its line."""
    lines = [""]
    for span in spans:
        for number, part in enumerate(slash(span.text).split("\n")):
            if number:
                lines.append("")
            for index, piece in enumerate(pieces(part, limit) if part else []):
                if index or (span.style == "quote" and lines[-1].strip() and piece.strip()):
                    lines.append("")  # a quote is marked at the start of a line only
                lines[-1] += _styled(piece, span.style)
    return lines


def sections(lines: list[str], limit: int = MAX_SECTION) -> list[JsonBlock]:
    """Lines joined into as few mrkdwn sections as fit the limit each."""
    texts: list[str] = []
    for line in lines:
        if texts and len(texts[-1]) + 1 + len(line) <= limit:
            texts[-1] += "\n" + line
        else:
            texts.append(line)
    return [_section(text) for text in texts if text.strip()]


def _section(text: str) -> JsonBlock:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _plain(text: str, limit: int) -> dict[str, Any]:
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": cut or "…", "emoji": True}


def _buttons(choices: Iterable[Choice], start: int) -> list[JsonBlock]:
    """Buttons in actions blocks of at most 25; action ids are unique within the message."""
    elements = []
    for number, choice in enumerate(choices, start=start):
        text = _plain(choice.label, MAX_BUTTON_TEXT)
        if choice.url:
            elements.append({"type": "button", "action_id": f"{LINK_PREFIX}{number}", "text": text, "url": choice.url})
            continue
        if len(choice.payload) > MAX_BUTTON_VALUE:
            raise ValueError(f"button value over {MAX_BUTTON_VALUE} characters: {choice.payload[:40]!r}…")
        elements.append(
            {"type": "button", "action_id": f"{ACTION_PREFIX}{number}", "text": text, "value": choice.payload}
        )
    return [
        {"type": "actions", "elements": elements[i : i + MAX_ELEMENTS]} for i in range(0, len(elements), MAX_ELEMENTS)
    ]


def _fields(block: Fields) -> list[JsonBlock]:
    pairs = [f"*{escape(label)}*\n{escape(slash(value))}"[:MAX_FIELD] for label, value in block.pairs]
    return [
        {"type": "section", "fields": [{"type": "mrkdwn", "text": text} for text in pairs[i : i + MAX_FIELDS]]}
        for i in range(0, len(pairs), MAX_FIELDS)
    ]


def block_json(block: Block, button_start: int = 0) -> list[JsonBlock]:
    """One neutral block as Block Kit blocks (long text becomes several sections)."""
    if isinstance(block, Heading):
        if len(block.text) <= MAX_HEADER:
            return [{"type": "header", "text": _plain(block.text, MAX_HEADER)}]
        return sections(mrkdwn_lines([Span(block.text, "bold")]))
    if isinstance(block, Paragraph):
        return sections(mrkdwn_lines(block.spans))
    if isinstance(block, Fields):
        return _fields(block)
    if isinstance(block, Bullets):
        spans = [span for number, item in enumerate(block.items) for span in (Span("\n• " if number else "• "), *item)]
        return sections(mrkdwn_lines(spans))
    if isinstance(block, Divider):
        return [{"type": "divider"}]
    if isinstance(block, Image):
        return [{"type": "context", "elements": [{"type": "mrkdwn", "text": f"_{escape(block.alt[:2900])}_"}]}]
    if isinstance(block, Choices):
        return _buttons([choice for row in block.rows for choice in row], button_start)
    assert isinstance(block, Actions)
    return _buttons(block.buttons, button_start)


def blocks_of(reply: Reply) -> list[JsonBlock]:
    """Every block of a reply, in order (button action ids numbered across the whole reply)."""
    result: list[JsonBlock] = []
    buttons = 0
    for block in reply.blocks:
        result.extend(block_json(block, buttons))
        if isinstance(block, Choices):
            buttons += sum(len(row) for row in block.rows)
        elif isinstance(block, Actions):
            buttons += len(block.buttons)
    return result


def fallback(reply: Reply) -> str:
    """The `text` Slack shows in notifications: the reply's plain fallback, escaped (Slack reads it as mrkdwn)."""
    text = escape(_cut(slash(reply.fallback().strip()), MAX_FALLBACK - 100) or "…")
    return _cut(text, MAX_FALLBACK)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp > len(cut) - 5 and ";" not in cut[amp:]:
        cut = cut[:amp]  # never leave half an escape
    return cut + "…"


def render(reply: Reply, max_blocks: int = MAX_BLOCKS) -> list[SlackMessage]:
    """The messages one Reply becomes: blocks split into messages of at most `max_blocks`."""
    blocks = blocks_of(reply) or [_section("…")]
    parts = [blocks[i : i + max_blocks] for i in range(0, len(blocks), max_blocks)]
    text = fallback(reply)
    if len(parts) == 1:
        return [SlackMessage(parts[0], text)]
    return [SlackMessage(part, _part_text(part) or text) for part in parts]


def _part_text(blocks: list[JsonBlock]) -> str:
    """A split message's own text: its sections' text, unescaped enough to read."""
    texts = [str(block["text"]["text"]) for block in blocks if isinstance(block.get("text"), dict)]
    return _cut("\n".join(texts), MAX_FALLBACK)


def home_view(reply: Reply) -> dict[str, Any]:
    """The App Home tab for a reply (Slack allows 100 blocks there)."""
    return {"type": "home", "blocks": (blocks_of(reply) or [_section("…")])[:MAX_HOME_BLOCKS]}


def pressed_blocks(blocks: list[JsonBlock], label: str | None) -> list[JsonBlock]:
    """A pressed message without its buttons, showing the chosen answer."""
    kept = [block for block in blocks if block.get("type") != "actions"]
    if label:
        kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"→ *{escape(label)}*"}]})
    return kept[:MAX_BLOCKS]
