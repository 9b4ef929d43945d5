"""What every board command shares: who is asking, what comes back, and the router's common steps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from core.board.digest_target import DigestRequest
from core.board.snapshot import Board
from core.board.team import BoardRepositories
from core.i18n import gettext_for
from core.messages import Destination, Reply, TextBuilder


@dataclass(frozen=True)
class Caller:
    """Who sent the command, in which team."""

    team_id: int
    member_id: int
    name: str
    role: str
    lang: str
    platform: str = ""
    user: str = ""
    chat: str = ""
    is_group: bool = False
    invite_base: str | None = None
    team_name: str = ""
    interview_open: bool = False
    turn: int = 0
    """The conversation's turn, stamped on buttons a command offers into the interview (e.g. /start's)."""
    tenant: str = ""


@dataclass(frozen=True)
class Notice:
    """A message for someone other than the sender (a teammate, the team's digest chat) and where it goes."""

    destination: Destination
    reply: Reply


@dataclass
class CommandResult:
    """Replies, notices for teammates, the team to switch the conversation to (for `team use`), digests to send."""

    replies: list[Reply] = field(default_factory=list)
    switch_to: tuple[int, int] | None = None
    notices: list[Notice] = field(default_factory=list)
    digests: list[DigestRequest] = field(default_factory=list)
    """Digests to build and send once the command is committed (`digest now`, `digest preview`)."""


def _say(text: str, personal: bool = False) -> Reply:
    return Reply(TextBuilder().add(text).build(), personal=personal)


class RouterBase:
    """The state and helpers the command mixins use; a command `name` runs as the method `cmd_<name>`."""

    def __init__(self, caller: Caller, repo: BoardRepositories, now: datetime) -> None:
        self.caller, self.repo, self.now = caller, repo, now
        self._ = gettext_for(caller.lang)
        self.result = CommandResult()

    def say(self, text: str) -> CommandResult:
        self.result.replies.append(_say(text))
        return self.result

    def refuse(self, text: str) -> CommandResult:
        """A refusal: for the asker alone (in a group, only they see it where the platform can)."""
        self.result.replies.append(_say(text, personal=True))
        return self.result

    async def board(self) -> Board:
        return await self.repo.teams.board(self.caller.team_id, self.now, self.caller.lang)

    async def run(self, name: str, arg: str) -> CommandResult:
        handler = getattr(self, f"cmd_{name}")
        result: CommandResult = await handler(arg.strip())
        return result


_WHOLE = re.compile(r"^[0-9]{1,9}$")


def whole_number(text: str) -> int | None:
    """A plain whole number as typed in a command (ASCII digits, at most nine), else None."""
    return int(text) if _WHOLE.match(text) else None
