"""The one inbound and one outbound type every adapter speaks: Incoming and Reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Address = tuple[str, str, str]
"""(platform, tenant, chat): where replies go."""


@dataclass(frozen=True)
class Incoming:
    """One normalized event from a chat platform: typed text or a pressed choice."""

    platform: str
    tenant: str
    chat: str
    user: str
    event_id: str
    text: str | None = None
    choice: str | None = None
    locale: str | None = None
    user_name: str | None = None
    is_group: bool = False

    @property
    def conversation_key(self) -> str:
        """The key one founder's conversation in one chat is stored under."""
        return f"{self.platform}:{self.tenant}:{self.chat}:{self.user}"

    @property
    def address(self) -> Address:
        """Where replies to this event are sent."""
        return (self.platform, self.tenant, self.chat)


Style = Literal["plain", "bold", "italic", "code", "quote"]


@dataclass(frozen=True)
class Span:
    """A run of text in one style; renderers escape the text for their platform."""

    text: str
    style: Style = "plain"


@dataclass(frozen=True)
class Choice:
    """A neutral button: a label the user sees and a short payload sent back when pressed."""

    label: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One outgoing message: styled text, numbered answer choices and navigation actions."""

    spans: tuple[Span, ...]
    choices: tuple[tuple[Choice, ...], ...] = ()
    actions: tuple[Choice, ...] = ()
    replaces_prompt: bool = False
    stale_press: bool = False

    @property
    def plain_text(self) -> str:
        """The text without styling, for logs and plain renderers."""
        return "".join(span.text for span in self.spans)

    def flat_choices(self) -> list[Choice]:
        """Choices in reading order, as numbered in plain-text renderings."""
        return [choice for row in self.choices for choice in row]


@dataclass
class TextBuilder:
    """Builds the spans of a Reply without ever mixing user text into markup."""

    spans: list[Span] = field(default_factory=list)

    def add(self, text: str, style: Style = "plain") -> TextBuilder:
        """Append a span; empty text is ignored."""
        if text:
            self.spans.append(Span(text, style))
        return self

    def line(self, text: str = "", style: Style = "plain") -> TextBuilder:
        """Append a span followed by a newline."""
        self.add(text, style)
        self.spans.append(Span("\n"))
        return self

    def build(self) -> tuple[Span, ...]:
        """The spans, with trailing newlines trimmed."""
        spans = list(self.spans)
        while spans and spans[-1].text == "\n":
            spans.pop()
        return tuple(spans)


def reply_to_dict(reply: Reply) -> dict[str, object]:
    """JSON form of a Reply, for the outbox."""
    return {
        "spans": [[span.text, span.style] for span in reply.spans],
        "choices": [[[choice.label, choice.payload] for choice in row] for row in reply.choices],
        "actions": [[choice.label, choice.payload] for choice in reply.actions],
        "replaces_prompt": reply.replaces_prompt,
        "stale_press": reply.stale_press,
    }


def reply_from_dict(raw: dict[str, Any]) -> Reply:
    """Inverse of reply_to_dict."""
    return Reply(
        spans=tuple(Span(text, style) for text, style in raw["spans"]),
        choices=tuple(tuple(Choice(label, payload) for label, payload in row) for row in raw["choices"]),
        actions=tuple(Choice(label, payload) for label, payload in raw["actions"]),
        replaces_prompt=bool(raw.get("replaces_prompt", False)),
        stale_press=bool(raw.get("stale_press", False)),
    )


def parse_command(text: str) -> tuple[str, str] | None:
    """("name", "arguments") of a slash command ("/status@bot 3" -> ("status", "3")); None for other text."""
    if not text.startswith("/"):
        return None
    name, _sep, arg = text[1:].partition(" ")
    return name.split("@")[0].casefold(), arg.strip()
