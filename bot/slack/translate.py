"""Slack payloads as core events: what was typed, pressed or asked, from whom, where; nothing is decided here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from core.messages import ChoicePressed, CommandInvoked, Input, Origin, parse_command

PLATFORM = "slack"
SLASH = "/cusdev"
_LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>")
_BARE = re.compile(r"<([^<>]*)>")
IGNORED_SUBTYPES = frozenset(
    {
        "message_deleted",
        "channel_join",
        "channel_leave",
        "bot_message",
        "message_replied",
        "tombstone",
        "ekm_access_denied",
    }
)

MessageKind = Literal["text", "edited", "file", "ignore"]


def plain_text(slack_text: str) -> str:
    """Slack's message text as the person typed it: links to their labels, `&amp; &lt; &gt;` back to `& < >`."""
    text = _LINK.sub(lambda match: match.group(2), slack_text)
    text = _BARE.sub(lambda match: match.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def event_key(team: str, kind: str, unique: str) -> str:
    """The processed-event id: unique per workspace, so a redelivery (or a second workspace's id) is told apart."""
    return f"slack:{team}:{kind}:{unique}"


def message_kind(event: dict[str, Any]) -> MessageKind:
    """What a `message` event in a DM is: text to answer, an edit, a file, or nothing to answer."""
    if event.get("channel_type") != "im" or event.get("bot_id") or (event.get("app_id") and not event.get("user")):
        return "ignore"
    subtype = event.get("subtype")
    if subtype == "message_changed":
        inner = event.get("message") or {}
        if inner.get("bot_id") or inner.get("subtype") == "bot_message" or not inner.get("user"):
            return "ignore"  # our own chat.update shows up as an edit
        return "edited"
    if subtype in ("file_share",) or event.get("files"):
        return "file"
    if subtype in IGNORED_SUBTYPES or subtype is not None or not event.get("user"):
        return "ignore"
    return "text"


@dataclass(frozen=True)
class Press:
    """A pressed button: its payload and label, where the message is, and that message's blocks."""

    team: str
    user: str
    channel: str | None
    message_ts: str | None
    payload: str
    label: str | None
    blocks: list[dict[str, Any]]
    trigger: str

    @property
    def input(self) -> Input:
        """The core event: a home-view button carries a command, any other an engine payload."""
        command = parse_command(self.payload)
        return CommandInvoked(*command) if command is not None else ChoicePressed(self.payload, self.message_ts)


def press_of(body: dict[str, Any]) -> Press:
    """The first action of a block_actions payload."""
    action = (body.get("actions") or [{}])[0]
    container = body.get("container") or {}
    message = body.get("message") or {}
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""
    return Press(
        team=str(team),
        user=str((body.get("user") or {}).get("id", "")),
        channel=container.get("channel_id") or (body.get("channel") or {}).get("id"),
        message_ts=container.get("message_ts") or message.get("ts"),
        payload=str(action.get("value", "")),
        label=((action.get("text") or {}).get("text")),
        blocks=list(message.get("blocks") or []),
        trigger=str(body.get("trigger_id") or action.get("action_ts") or ""),
    )


def subcommand(text: str) -> CommandInvoked:
    """`/cusdev hypothesis H2` as the core command ("hypothesis", "H2"); nothing typed means help."""
    name, _sep, arguments = plain_text(text).strip().partition(" ")
    name = name.lstrip("/").casefold()
    return CommandInvoked(name or "help", arguments.strip())


def dm_origin(team: str, channel: str, user: str) -> Origin:
    """A person's direct messages with the bot."""
    return Origin(PLATFORM, team, channel, user, chat_kind="private")


def channel_origin(team: str, channel: str, user: str) -> Origin:
    """A channel (or a conversation the bot is not a party to)."""
    return Origin(PLATFORM, team, channel, user, chat_kind="group")
