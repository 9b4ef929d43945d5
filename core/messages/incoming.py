"""What comes in: where an event came from (Origin) and what the person did (text, a press, a command, a form)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

ChatKind = Literal["private", "group"]


@dataclass(frozen=True)
class Origin:
    """Where an event came from: platform, tenant (bot or workspace), chat, user and thread.

    A private chat's id is not assumed to be the user's id (a Slack DM is a channel of its own).
    """

    platform: str
    tenant: str
    chat: str
    user: str
    thread: str | None = None
    chat_kind: ChatKind = "private"

    @property
    def is_group(self) -> bool:
        """True in a group or channel, where interview answers never go."""
        return self.chat_kind == "group"

    @property
    def conversation_key(self) -> str:
        """The key one person's conversation in this chat is stored under."""
        return f"{self.platform}:{self.tenant}:{self.chat}:{self.user}"


@dataclass(frozen=True)
class TextSent:
    """The person typed text (a command typed as text arrives as CommandInvoked)."""

    text: str


@dataclass(frozen=True)
class ChoicePressed:
    """The person pressed a button; `message` is the platform's reference to the pressed message."""

    payload: str
    message: str | None = None


@dataclass(frozen=True)
class CommandInvoked:
    """A command by name with its arguments ("/status", or Slack's "/cusdev status")."""

    name: str
    arguments: str = ""


@dataclass(frozen=True)
class FormSubmitted:
    """A form (a Slack modal) was submitted with these field values."""

    form_id: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HomeOpened:
    """The person opened the bot's home view (Slack's App Home)."""


Input = TextSent | ChoicePressed | CommandInvoked | FormSubmitted | HomeOpened


@dataclass(frozen=True)
class Incoming:
    """One normalized event from a chat platform: who, where, what, and the id that makes it happen once.

    `turn` is the conversation turn of the screen the person answered, when the adapter knows it (the console
    does; a Telegram text does not): typed text against a screen that has since changed is then stale, as a
    pressed button's turn stamp makes a press stale.
    """

    origin: Origin
    event_id: str
    input: Input
    locale: str | None = None
    user_name: str | None = None
    turn: int | None = None

    @classmethod
    def typed(
        cls,
        origin: Origin,
        event_id: str,
        text: str,
        locale: str | None = None,
        user_name: str | None = None,
        turn: int | None = None,
    ) -> Incoming:
        """Text as typed: a leading slash makes it a command; `turn` is the screen it answers, when known."""
        command = parse_command(text.strip())
        event: Input = CommandInvoked(*command) if command is not None else TextSent(text)
        return cls(origin, event_id, event, locale, user_name, turn)

    @property
    def text(self) -> str | None:
        """The typed text (a command as "/name arguments"), or None for other inputs."""
        if isinstance(self.input, TextSent):
            return self.input.text
        if isinstance(self.input, CommandInvoked):
            return f"/{self.input.name} {self.input.arguments}".rstrip()
        return None

    @property
    def choice(self) -> str | None:
        """The pressed button's payload, or None."""
        return self.input.payload if isinstance(self.input, ChoicePressed) else None

    @property
    def command(self) -> CommandInvoked | None:
        """The command, when the input is one."""
        return self.input if isinstance(self.input, CommandInvoked) else None

    @property
    def platform(self) -> str:
        """The origin's platform."""
        return self.origin.platform

    @property
    def is_group(self) -> bool:
        """True when the event came from a group or channel."""
        return self.origin.is_group

    @property
    def conversation_key(self) -> str:
        """The key one founder's conversation in one chat is stored under."""
        return self.origin.conversation_key


def parse_command(text: str) -> tuple[str, str] | None:
    """("name", "arguments") of a slash command ("/status@bot 3" -> ("status", "3")); None for other text."""
    if not text.startswith("/"):
        return None
    name, _sep, arg = text[1:].partition(" ")
    return name.split("@")[0].casefold(), arg.strip()
