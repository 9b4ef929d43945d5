"""What the fake Slack keeps: workspaces, people, messages and views the app posted, and every request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Workspace:
    """A Slack workspace with the app installed under `token` (None once uninstalled)."""

    id: str
    name: str
    token: str | None
    bot_user: str
    bot_id: str


@dataclass
class Person:
    """A Slack user; `dm` is their direct-message channel with the app."""

    id: str
    team: str
    name: str
    locale: str = "en-US"

    @property
    def dm(self) -> str:
        return "D" + self.id[1:]


@dataclass
class Posted:
    """A message the app posted (or an ephemeral one, seen by `ephemeral_to` only); `history` holds its updates."""

    team: str
    channel: str
    ts: str
    blocks: list[dict[str, Any]]
    text: str
    thread_ts: str | None = None
    ephemeral_to: str | None = None
    history: list[list[dict[str, Any]]] = field(default_factory=list)

    @property
    def mrkdwn(self) -> str:
        """Every text of the blocks joined, or the text of a message without blocks (escaped, as Slack keeps it)."""
        parts: list[str] = []
        for block in self.blocks:
            text = block.get("text")
            if isinstance(text, dict):
                parts.append(str(text.get("text", "")))
            for item in block.get("fields") or []:
                parts.append(str(item.get("text", "")))
            for element in block.get("elements") or []:
                if element.get("type") in ("mrkdwn", "plain_text"):
                    parts.append(str(element.get("text", "")))
        return "\n".join(parts) if self.blocks else self.text

    @property
    def plain(self) -> str:
        """The visible text with the escapes undone (what a person reads)."""
        return self.mrkdwn.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    def buttons(self) -> list[dict[str, Any]]:
        """The button elements, in order."""
        return [e for b in self.blocks if b.get("type") == "actions" for e in b.get("elements", [])]

    def button(self, label: str) -> dict[str, Any]:
        """The button whose text is `label` (or starts with it)."""
        found = [b for b in self.buttons() if b["text"]["text"] == label] or [
            b for b in self.buttons() if b["text"]["text"].startswith(label)
        ]
        if not found:
            raise AssertionError(f"no button {label!r} in {[b['text']['text'] for b in self.buttons()]}")
        return found[0]


@dataclass
class Recorded:
    """One Web API request as the app made it, and the error the fake answered (None for ok)."""

    method: str
    params: dict[str, Any]
    team: str | None
    error: str | None = None


@dataclass(frozen=True)
class Shared:
    """A file the app uploaded and shared into a channel: its bytes as uploaded."""

    team: str
    channel: str
    file_id: str
    title: str
    content: bytes
