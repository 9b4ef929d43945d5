"""The command router every adapter calls: status, hypotheses, phase, pivot, interviews, search, team, funnel, merge."""

from __future__ import annotations

from datetime import datetime

from core.board import hypothesis_views, views
from core.board.changes import Change, hypothesis_code
from core.board.command_base import Caller, CommandResult, whole_number
from core.board.digest_commands import DigestCommands
from core.board.handlers import Outcome, perform
from core.board.search_commands import SearchCommands
from core.board.slash import parse_change
from core.board.team import BoardRepositories
from core.board.team_commands import TeamCommands
from core.command_registry import BOARD_COMMANDS, GROUP_COMMANDS
from core.reminders.commands import ReminderCommands

__all__ = ["BOARD_COMMANDS", "GROUP_COMMANDS", "Caller", "CommandResult", "Outcome", "run_change", "run_command"]


class _Router(SearchCommands, ReminderCommands, TeamCommands, DigestCommands):
    """The board reads and the door to changes; team commands come from TeamCommands, the digest's from
    DigestCommands, search and the interview list from SearchCommands, a founder's reminder settings from
    ReminderCommands, shared steps from RouterBase."""

    async def cmd_status(self, arg: str) -> CommandResult:
        self.result.replies.append(views.status_reply(await self.board(), self.caller.lang))
        return self.result

    async def cmd_hypotheses(self, arg: str) -> CommandResult:
        page = whole_number(arg) or 1
        self.result.replies.append(hypothesis_views.hypotheses_reply(await self.board(), self.caller.lang, page))
        return self.result

    async def run(self, name: str, arg: str) -> CommandResult:
        """Parse a change and perform it; anything else is a read, answered by its `cmd_<name>`."""
        parsed = parse_change(name, arg, self.caller.lang)
        if parsed is None:
            return await super().run(name, arg)
        return self.report(await perform(parsed, self))

    def report(self, outcome: Outcome) -> CommandResult:
        """A change's outcome as chat replies: its replies, then each error's message."""
        self.result.replies.extend(outcome.replies)
        for error in outcome.errors:
            self.say(error.message)
        self.result.switch_to = outcome.switch_to
        self.result.notices.extend(outcome.notices)
        return self.result

    async def cmd_hypothesis(self, arg: str) -> CommandResult:
        _ = self._
        verb = arg.partition(" ")[0]
        if code := hypothesis_code(verb):
            board = await self.board()
            for view in board.hypotheses:
                if view.hypothesis.code == code:
                    self.result.replies.append(hypothesis_views.hypothesis_reply(view, self.caller.lang))
                    return self.result
            return self.say(_("There is no {code}. /hypotheses lists them all.").format(code=code))
        return self.say(
            _(
                "Use /hypothesis H2 to see one, /hypothesis add <block> <statement> | <success criterion>, "
                "or /hypothesis status H2 <status> <reason>."
            )
        )

    async def cmd_phase(self, arg: str) -> CommandResult:
        self.result.replies.append(views.phase_reply(await self.board(), self.caller.lang))
        return self.result

    async def cmd_funnel(self, arg: str) -> CommandResult:
        self.result.replies.append(views.funnel_reply(await self.board(), self.caller.lang))
        return self.result


async def run_command(name: str, arg: str, caller: Caller, repo: BoardRepositories, now: datetime) -> CommandResult:
    """Answer a board command with the unit of work's repositories; mentors can read but not change anything."""
    return await _Router(caller, repo, now).run(name, arg.strip())


async def run_change(change: Change, caller: Caller, repo: BoardRepositories, now: datetime) -> Outcome:
    """Perform a change built elsewhere (a form): the same checks and handler as its slash command."""
    return await perform(change, _Router(caller, repo, now))
