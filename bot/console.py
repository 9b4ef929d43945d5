"""The console adapter: the same engine as the chat platforms, in a terminal or fed from a pipe."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TextIO

from core.app.ports import OutboxMessage, Storage
from core.app.service import InterviewService
from core.command_registry import ACTION_COMMANDS
from core.i18n import gettext_for
from core.interview.payloads import Action, decode
from core.messages import Incoming, Origin, Reply, ToChat

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
    if hints:
        lines.append(("\033[2m" if color else "") + "  [" + " · ".join(hints) + "]" + ("\033[0m" if color else ""))
    return "\n".join(lines)


def turn_of(reply: Reply) -> int | None:
    """The turn stamped on a reply's buttons, if it has any (another terminal may since have moved on)."""
    stamps = [decoded[0] for c in (*reply.flat_choices(), *reply.actions) if (decoded := decode(c.payload))]
    return max(stamps, default=None)


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
        self.turn: int | None = None  # the turn of the last screen shown here: what a typed line answers

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
        incoming = Incoming.typed(origin, f"console:{uuid.uuid4().hex}", text, self.lang, self.user, self.turn)
        messages = await self.service.handle(incoming, team=self.team)
        self.turn = max((turn for m in messages if (turn := turn_of(m.reply)) is not None), default=self.turn)
        await self.deliver(messages)

    async def deliver_leftovers(self) -> None:
        """Replies committed before a crash but never shown."""
        here = ToChat(PLATFORM, TENANT, self.chat)
        await self.deliver([m for m in await self.storage.unsent(PLATFORM, limit=1000) if m.destination == here])

    async def deliver(self, messages: list[OutboxMessage]) -> None:
        """Show the messages, then mark them sent (a crash before the mark shows them again, never loses one)."""
        for message in messages:
            self.print(render(message.reply, self.color))
        await self.storage.mark_sent([message.id for message in messages], self.service.clock.now())

    def print(self, text: str) -> None:
        self.output.write(text + "\n\n")
        self.output.flush()
