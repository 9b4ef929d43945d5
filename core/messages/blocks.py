"""What goes out: a Reply made of platform-neutral blocks, each with a plain-text fallback.

Renderers (Telegram HTML, Slack Block Kit, the console) render the blocks; user text stays in Spans and is
escaped by the renderer, never mixed into markup here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Style = Literal["plain", "bold", "italic", "code", "quote"]


@dataclass(frozen=True)
class Span:
    """A run of text in one style; renderers escape the text for their platform."""

    text: str
    style: Style = "plain"


@dataclass(frozen=True)
class Choice:
    """A neutral button: a label the user sees and a short payload sent back when pressed, or a link it opens."""

    label: str
    payload: str
    url: str | None = None


@dataclass(frozen=True)
class Heading:
    """A short title line."""

    text: str
    kind: Literal["heading"] = "heading"

    def plain(self) -> str:
        """The plain-text fallback."""
        return self.text


@dataclass(frozen=True)
class Paragraph:
    """Styled text; newlines inside spans break lines."""

    spans: tuple[Span, ...]
    kind: Literal["paragraph"] = "paragraph"

    def plain(self) -> str:
        """The plain-text fallback."""
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Fields:
    """Label-value pairs, shown side by side where the platform can."""

    pairs: tuple[tuple[str, str], ...]
    kind: Literal["fields"] = "fields"

    def plain(self) -> str:
        """The plain-text fallback."""
        return "\n".join(f"{label}: {value}" for label, value in self.pairs)


@dataclass(frozen=True)
class Bullets:
    """A bulleted list; each item is styled text."""

    items: tuple[tuple[Span, ...], ...]
    kind: Literal["bullets"] = "bullets"

    def plain(self) -> str:
        """The plain-text fallback."""
        return "\n".join("• " + "".join(span.text for span in item) for item in self.items)


@dataclass(frozen=True)
class Divider:
    """A separator between sections."""

    kind: Literal["divider"] = "divider"

    def plain(self) -> str:
        """The plain-text fallback."""
        return "—"


@dataclass(frozen=True)
class ChartSpec:
    """A chart as data: the renderer draws it (bars of one or more series against an optional target line).

    `shades` (0..1 per label, optional) tint each bar of the first series, e.g. a pain's severity."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    target: float | None = None
    chart: Literal["bar", "hbar", "line"] = "bar"
    shades: tuple[float, ...] = ()


@dataclass(frozen=True)
class Image:
    """A picture given as data (charts, drawn one under another in one image) with alt text, the fallback where
    images cannot be shown."""

    charts: tuple[ChartSpec, ...]
    alt: str
    kind: Literal["image"] = "image"

    def plain(self) -> str:
        """The plain-text fallback."""
        return self.alt


@dataclass(frozen=True)
class Choices:
    """Answer buttons in rows; plain renderings number them ("2" picks the second)."""

    rows: tuple[tuple[Choice, ...], ...]
    kind: Literal["choices"] = "choices"

    def plain(self) -> str:
        """The plain-text fallback."""
        flat = [choice for row in self.rows for choice in row]
        return "\n".join(
            numbered(number, choice.label) + (f": {choice.url}" if choice.url else "")
            for number, choice in enumerate(flat, start=1)
        )


def numbered(number: int, label: str) -> str:
    """A choice as a numbered line; a label that already starts with its number keeps just one ("3. Role")."""
    return f"  {number}. {label.removeprefix(f'{number} · ')}"


@dataclass(frozen=True)
class Actions:
    """Navigation buttons (back, skip, pause...): a last row of smaller buttons."""

    buttons: tuple[Choice, ...]
    kind: Literal["actions"] = "actions"

    def plain(self) -> str:
        """The plain-text fallback."""
        return "[" + " · ".join(button.label for button in self.buttons) + "]"


Block = Heading | Paragraph | Fields | Bullets | Divider | Image | Choices | Actions
TEXT_BLOCKS = (Heading, Paragraph, Fields, Bullets, Divider, Image)


@dataclass(frozen=True, init=False)
class Reply:
    """One outgoing message as blocks.

    `Reply(spans, choices, actions)` is the short form of a paragraph with answer buttons and actions;
    `Reply(blocks=...)` gives the blocks directly.
    """

    blocks: tuple[Block, ...]
    replaces_prompt: bool
    stale_press: bool
    closes_buttons: bool
    """The founder typed an answer to the previous screen: its buttons are stale, close them where possible."""
    personal: bool
    """Only for the person who asked (a refusal, an error): in a group, shown to them alone where the platform can."""

    def __init__(
        self,
        spans: tuple[Span, ...] = (),
        choices: tuple[tuple[Choice, ...], ...] = (),
        actions: tuple[Choice, ...] = (),
        replaces_prompt: bool = False,
        stale_press: bool = False,
        *,
        blocks: tuple[Block, ...] | None = None,
        closes_buttons: bool = False,
        personal: bool = False,
    ) -> None:
        if blocks is None:
            made: list[Block] = [Paragraph(tuple(spans))] if spans else []
            if choices:
                made.append(Choices(tuple(tuple(row) for row in choices)))
            if actions:
                made.append(Actions(tuple(actions)))
            blocks = tuple(made)
        object.__setattr__(self, "blocks", tuple(blocks))
        object.__setattr__(self, "replaces_prompt", replaces_prompt)
        object.__setattr__(self, "stale_press", stale_press)
        object.__setattr__(self, "closes_buttons", closes_buttons)
        object.__setattr__(self, "personal", personal)

    @property
    def spans(self) -> tuple[Span, ...]:
        """The text blocks as one run of styled spans, blocks separated by line breaks."""
        return text_spans(self.blocks)

    @property
    def choices(self) -> tuple[tuple[Choice, ...], ...]:
        """The answer buttons, in rows."""
        return tuple(row for block in self.blocks if isinstance(block, Choices) for row in block.rows)

    @property
    def actions(self) -> tuple[Choice, ...]:
        """The navigation buttons."""
        return tuple(button for block in self.blocks if isinstance(block, Actions) for button in block.buttons)

    @property
    def plain_text(self) -> str:
        """The text without styling or buttons, for logs and plain renderers."""
        return "".join(span.text for span in self.spans)

    @property
    def images(self) -> tuple[Image, ...]:
        """The pictures (charts) the reply carries."""
        return tuple(block for block in self.blocks if isinstance(block, Image))

    def without_images(self) -> Reply:
        """The same reply with its pictures left out (a platform that sends them apart, with their alt text)."""
        return Reply(
            blocks=tuple(block for block in self.blocks if not isinstance(block, Image)),
            replaces_prompt=self.replaces_prompt,
            stale_press=self.stale_press,
            closes_buttons=self.closes_buttons,
            personal=self.personal,
        )

    def flat_choices(self) -> list[Choice]:
        """Choices in reading order, as numbered in plain-text renderings."""
        return [choice for row in self.choices for choice in row]

    def fallback(self) -> str:
        """The whole message as plain text: every block's fallback, buttons numbered."""
        return "\n".join(block.plain() for block in self.blocks)


def text_spans(blocks: tuple[Block, ...] | list[Block]) -> tuple[Span, ...]:
    """Text blocks as styled spans (headings bold, bullets and fields as lines) for text-only platforms."""
    spans: list[Span] = []
    for block in blocks:
        if not isinstance(block, TEXT_BLOCKS):
            continue
        if spans:
            spans.append(Span("\n"))
        if isinstance(block, Heading):
            spans.append(Span(block.text, "bold"))
        elif isinstance(block, Paragraph):
            spans.extend(block.spans)
        elif isinstance(block, Fields):
            for number, (label, value) in enumerate(block.pairs):
                spans.extend([Span("\n")] * (number > 0) + [Span(label + ": ", "bold"), Span(value)])
        elif isinstance(block, Bullets):
            for number, item in enumerate(block.items):
                spans.extend([Span("\n")] * (number > 0) + [Span("• "), *item])
        elif isinstance(block, Image):
            spans.append(Span(block.alt, "italic"))
        else:
            spans.append(Span("—"))
    return tuple(spans)


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


def shorten(text: str, limit: int) -> str:
    """User text cut to at most `limit` characters, with an ellipsis when cut (for confirmations and labels)."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"
