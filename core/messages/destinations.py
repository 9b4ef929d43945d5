"""Where an outgoing message goes: a chat, a user directly, ephemeral in a chat, a home view, the pressed message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.messages.incoming import Incoming


@dataclass(frozen=True)
class ToChat:
    """A chat (a private chat, a group, a Slack channel), optionally in a thread."""

    platform: str
    tenant: str
    chat: str
    thread: str | None = None
    kind: Literal["chat"] = "chat"


@dataclass(frozen=True)
class ToUser:
    """A person directly; the platform's sender finds (or opens) their private chat."""

    platform: str
    tenant: str
    user: str
    kind: Literal["user"] = "user"


@dataclass(frozen=True)
class Ephemeral:
    """Seen only by one person, inside a chat (Slack's ephemeral messages; where a platform has none, its sender
    decides: Telegram posts it in the chat, as any reply)."""

    platform: str
    tenant: str
    chat: str
    user: str
    kind: Literal["ephemeral"] = "ephemeral"


@dataclass(frozen=True)
class HomeView:
    """A person's home view (Slack's App Home tab); it replaces what was there."""

    platform: str
    tenant: str
    user: str
    kind: Literal["home"] = "home"


@dataclass(frozen=True)
class UpdatePressed:
    """The message whose button was pressed, updated in place."""

    platform: str
    tenant: str
    chat: str
    message: str
    kind: Literal["update"] = "update"


Destination = ToChat | ToUser | Ephemeral | HomeView | UpdatePressed


def chat_of(destination: Destination) -> str:
    """The ordering key of a destination within its platform and tenant: deliveries to one key go in order."""
    if isinstance(destination, (ToUser, HomeView)):
        return f"@{destination.user}"
    return destination.chat


def reply_to(incoming: Incoming) -> ToChat:
    """Where replies to an event go: the chat (and thread) it came from."""
    origin = incoming.origin
    return ToChat(origin.platform, origin.tenant, origin.chat, origin.thread)
