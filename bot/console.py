"""The console adapter: the same engine as the chat platforms, in a terminal or fed from a pipe."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TextIO

from core.app.ports import OutboxMessage, Storage
from core.app.service import InterviewService
from core.command_registry import ACTION_COMMANDS
from core.i18n import gettext_for
from core.interview.payloads import Action, Page, decode
from core.messages import Incoming, Origin, Reply, ToChat, ToUser

PLATFORM = "console"
TENANT = "local"
QUIT_WORDS = {"/quit", "/exit", "/q"}
_STYLES = {"bold": ("\033[1m", "\033[0m"), "italic": ("\033[3m", "\033[0m"), "quote": ("\033[36m", "\033[0m")}


def render(reply: Reply, color: bool) -> str:
    """A Reply as terminal text: numbered choices, actions as the commands that trigger them."""
    text = "".join(
        f"{_STYLES[span.style][0]}{span.text}{_STYLES[span.style][1]}" if color and span.style in _STYLES else span.text
        for span in reply.spans
    )
    lines = [text]
    for number, choice in enumerate(reply.flat_choices(), start=1):
        lines.append(f"  {number}. {choice.label}")
    hints = []
    for action in reply.actions:
        decoded = decode(action.payload)
        if decoded is not None and isinstance(decoded[1], Action) and decoded[1] in ACTION_COMMANDS:
            hints.append("/" + ACTION_COMMANDS[decoded[1]])
        elif decoded is not None and isinstance(decoded[1], Page):  # a list's page, typed as its command
            hints.append(f"/{decoded[1].command} {decoded[1].number}")
    if hints:
        lines.append(("\033[2m" if color else "") + "  [" + " · ".join(hints) + "]" + ("\033[0m" if color else ""))
    return "\n".join(lines)


class ConsoleChat:
    """Runs one founder's conversation over text streams."""

    def __init__(
        self,
        service: InterviewService,
        storage: Storage,
        team: str,
        user: str,
        lang: str,
        read_line: Callable[[], str | None],
        output: TextIO,
        color: bool = False,
    ) -> None:
        self.service, self.storage, self.team, self.user, self.lang = service, storage, team, user, lang
        self.read_line, self.output, self.color = read_line, output, color
        self.chat = f"{team}/{user}"

    async def run(self, script: str | None) -> None:
        """Deliver anything a crash left unsent, open (or resume) the interview, then answer line by line."""
        await self.deliver_leftovers()
        await self.send(f"/interview {script}" if script else "/interview")
        while True:
            line = self.read_line()
            if line is None or line.strip().casefold() in QUIT_WORDS:
                break
            if line.strip():
                await self.send(line.rstrip("\r\n"))
        _ = gettext_for(self.lang)
        self.print(_("Bye! Everything you answered is saved; run `cusdev chat` again to continue."))

    async def send(self, text: str) -> None:
        """One line in, the committed replies out."""
        origin = Origin(PLATFORM, TENANT, self.chat, self.user)
        incoming = Incoming.typed(origin, f"console:{uuid.uuid4().hex}", text, self.lang, self.user)
        await self.deliver(await self.service.handle(incoming, team=self.team))

    def for_me(self, message: OutboxMessage) -> bool:
        """True for a message to this chat or to this founder; a notice for a teammate waits for their terminal."""
        mine = (ToChat(PLATFORM, TENANT, self.chat), ToUser(PLATFORM, TENANT, self.user))
        return message.destination in mine

    async def deliver_leftovers(self) -> None:
        """Replies committed before a crash but never shown, and notices teammates left for this founder."""
        await self.deliver(await self.storage.unsent(PLATFORM, limit=1000))

    async def deliver(self, messages: list[OutboxMessage]) -> None:
        """Show this founder's messages, then mark them sent (a crash before the mark shows them again)."""
        messages = [message for message in messages if self.for_me(message)]
        for message in messages:
            self.print(render(message.reply, self.color))
        await self.storage.mark_sent([message.id for message in messages], self.service.clock.now())

    def print(self, text: str) -> None:
        self.output.write(text + "\n\n")
        self.output.flush()
