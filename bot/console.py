"""The console adapter: the same engine as the chat platforms, in a terminal or fed from a pipe."""

from __future__ import annotations

import contextlib
import re
import shutil
import uuid
from collections.abc import Callable
from typing import TextIO

from core.app.ports import OutboxMessage, Storage
from core.app.service import InterviewService
from core.command_registry import ACTION_COMMANDS
from core.i18n import gettext_for
from core.interview.payloads import Action, Page, SearchPage, decode
from core.messages import Incoming, Origin, Reply, ToChat, ToUser
from core.messages.blocks import numbered

PLATFORM = "console"
TENANT = "local"
QUIT_WORDS = {"/quit", "/exit", "/q"}
_STYLES = {"bold": ("\033[1m", "\033[0m"), "italic": ("\033[3m", "\033[0m"), "quote": ("\033[36m", "\033[0m")}
_STYLE_CODE = re.compile(r"\033\[[0-9;]*m")
_TERMINAL_KEYS = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|O[A-Za-z]|[@-_])")
"""What arrow, Home or F-keys send (CSI, SS3 and two-byte escapes), should they reach us without readline."""
_CHOICE = re.compile(r"\d+\. ")


def render(reply: Reply, color: bool) -> str:
    """A Reply as terminal text: numbered choices, actions as the commands that trigger them."""
    text = "".join(
        f"{_STYLES[span.style][0]}{span.text}{_STYLES[span.style][1]}" if color and span.style in _STYLES else span.text
        for span in reply.spans
    )
    lines = [text]
    for number, choice in enumerate(reply.flat_choices(), start=1):
        lines.append(numbered(number, choice.label))
    hints = []
    for action in reply.actions:
        decoded = decode(action.payload)
        if decoded is not None and isinstance(decoded[1], Action) and decoded[1] in ACTION_COMMANDS:
            hints.append("/" + ACTION_COMMANDS[decoded[1]])
        elif decoded is not None and isinstance(decoded[1], Page):  # a list's page, typed as its command
            hints.append(f"/{decoded[1].command} {decoded[1].number}")
        elif decoded is not None and isinstance(decoded[1], SearchPage):
            hints.append(f"/search page {decoded[1].number} {decoded[1].words}")
    if hints:
        lines.append(("\033[2m" if color else "") + "  [" + " · ".join(hints) + "]" + ("\033[0m" if color else ""))
    return "\n".join(lines)


def line_reader(stdin: TextIO, echo: TextIO) -> Callable[[], str | None]:
    """Lines typed at a terminal (with line editing and history) or read from a pipe (echoed after the prompt)."""
    interactive = stdin.isatty()
    if interactive:
        # Importing readline gives input() arrow keys, history (↑) and no tty line-length cap on a paste; it is
        # not on every platform, and the escape filter below still keeps keys out of answers there.
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401

    def read_line() -> str | None:
        try:
            if interactive:
                line = input("› ")
            else:
                line = stdin.readline()
                if not line:
                    return None
                echo.write(f"› {line.rstrip()}\n")
        except (EOFError, KeyboardInterrupt):
            return None
        return _TERMINAL_KEYS.sub("", line)

    return read_line


def wrap(text: str, width: int) -> str:
    """Each line broken at spaces to fit the width (style codes take no room); a choice's lines hang under it."""
    wrapped: list[str] = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        indent = " " * (len(line) - len(body))
        hang = indent + ("   " if _CHOICE.match(_STYLE_CODE.sub("", body)) else "")  # under "1. "
        first, *rest = body.split(" ")
        current, size = indent + first, len(indent) + _width(first)
        for word in rest:
            if size + 1 + _width(word) > width:
                wrapped.append(current)
                current, size = hang + word, len(hang) + _width(word)
            else:
                current, size = f"{current} {word}", size + 1 + _width(word)
        wrapped.append(current)
    return "\n".join(wrapped)


def _width(word: str) -> int:
    return len(_STYLE_CODE.sub("", word))


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
        lang_chosen: bool = False,
        fit_terminal: bool = False,
    ) -> None:
        self.service, self.storage, self.team, self.user, self.lang = service, storage, team, user, lang
        self.read_line, self.output, self.color, self.lang_chosen = read_line, output, color, lang_chosen
        self.chat = f"{team}/{user}"
        self.origin = Origin(PLATFORM, TENANT, self.chat, self.user)
        self.fit_terminal = fit_terminal
        self.key = Incoming.typed(self.origin, "console:key", "").conversation_key  # the service's key for this chat
        self.turn: int | None = None  # the turn of the last screen shown here: what a typed line answers

    async def run(self, script: str | None) -> None:
        """Deliver anything a crash left unsent, open (or resume) the interview, then answer line by line."""
        await self.deliver_leftovers()
        if self.lang_chosen:
            await self.store_language()
        await self.send(f"/interview {script}" if script else "/interview")
        while True:
            line = self.read_line()
            if line is None or line.strip().casefold() in QUIT_WORDS:
                break
            if line.strip():
                await self.send(line.rstrip("\r\n"))
        _ = gettext_for(await self.stored_language() or self.lang)
        self.print(_("Bye! Everything you answered is saved; run `cusdev chat` again to continue."))

    async def store_language(self) -> None:
        """`--lang` on the command line wins over the language this founder chose before (e.g. with /lang)."""
        async with self.storage.transaction() as uow:
            conversation = await uow.conversations.get(self.key)
            if conversation is not None and conversation.state.lang != self.lang:
                conversation.state.lang = self.lang
                await uow.conversations.save(conversation, self.service.clock.now())

    async def stored_language(self) -> str | None:
        """The language this founder's chat speaks now (/lang may have changed it)."""
        conversation = await self.storage.read(lambda view: view.conversations.peek(self.key))
        return conversation.state.lang if conversation is not None else None

    async def send(self, text: str) -> None:
        """One line in, the committed replies out."""
        incoming = Incoming.typed(self.origin, f"console:{uuid.uuid4().hex}", text, self.lang, self.user, self.turn)
        messages = await self.service.handle(incoming, team=self.team)
        self.turn = max((turn for m in messages if (turn := turn_of(m.reply)) is not None), default=self.turn)
        await self.deliver(messages)

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
        if self.fit_terminal:  # measured each time: the window may have been resized
            text = wrap(text, shutil.get_terminal_size().columns)
        self.output.write(text + "\n\n")
        self.output.flush()
