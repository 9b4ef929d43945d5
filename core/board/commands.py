"""The command router every adapter calls: status, hypotheses, phase, pivot, interviews, team, funnel, merge."""

from __future__ import annotations

import re
from datetime import datetime

from core.analytics.funnel import FunnelLog
from core.analytics.items import normalize_item
from core.board import views
from core.board.command_base import Caller, CommandResult, whole_number
from core.board.hypotheses import BLOCKS, SETTABLE, STATUSES, block_of
from core.board.phases import PHASE_NAMES, next_phase
from core.board.team import PhaseChange, TeamRepository
from core.board.team_commands import TeamCommands

__all__ = ["BOARD_COMMANDS", "GROUP_COMMANDS", "Caller", "CommandResult", "run_command"]

BOARD_COMMANDS = frozenset(
    {
        "status",
        "hypotheses",
        "hypothesis",
        "phase",
        "pivot",
        "interviews",
        "team",
        "funnel",
        "merge",
        "start",
        "invite",
        "digest_here",
    }
)
GROUP_COMMANDS = frozenset({"status", "hypotheses", "digest_here"})
"""What a group chat may ask: the board at a glance, never interview answers."""
CODE = re.compile(r"^[Hh]\d{1,5}$")


class _Router(TeamCommands):
    """The board commands; the team ones come from TeamCommands, the shared steps from RouterBase."""

    async def cmd_status(self, arg: str) -> CommandResult:
        self.result.replies.append(views.status_reply(await self.board(), self.caller.lang))
        return self.result

    async def cmd_hypotheses(self, arg: str) -> CommandResult:
        self.result.replies.append(views.hypotheses_reply(await self.board(), self.caller.lang))
        return self.result

    async def cmd_hypothesis(self, arg: str) -> CommandResult:
        _ = self._
        verb, _sep, rest = arg.partition(" ")
        if CODE.match(verb):
            board = await self.board()
            for view in board.hypotheses:
                if view.hypothesis.code == verb.upper():
                    self.result.replies.append(views.hypothesis_reply(view, self.caller.lang))
                    return self.result
            return self.say(_("There is no {code}. /hypotheses lists them all.").format(code=verb.upper()))
        if verb == "add":
            return await self.add_hypothesis(rest)
        if verb == "status":
            return await self.set_status(rest)
        return self.say(
            _(
                "Use /hypothesis H2 to see one, /hypothesis add <block> <statement> | <success criterion>, "
                "or /hypothesis status H2 <status> <reason>."
            )
        )

    async def add_hypothesis(self, rest: str) -> CommandResult:
        _ = self._
        if refused := self.refuse_change():
            return refused
        first, _sep, remainder = rest.partition(" ")
        block = block_of(first.rstrip(":"))
        statement_part = remainder if block else rest
        statement, _bar, criterion = (part.strip() for part in statement_part.partition("|"))
        if len(statement) < 5:
            blocks = ", ".join(BLOCKS)
            return self.say(
                _(
                    "Write the hypothesis after the block, e.g. /hypothesis add vp Clinics lose hours "
                    "re-booking patients | 8 of 10 confirm it. Blocks: {blocks}."
                ).format(blocks=blocks)
            )
        code = await self.repo.add_hypothesis(
            self.caller.team_id, statement, block, criterion or None, self.caller.name, self.now
        )
        note = "" if block else " " + _("Tip: give it a canvas block, e.g. /hypothesis add cs ...")
        return self.say(_("Added {code}: {statement}").format(code=code, statement=statement) + note)

    async def set_status(self, rest: str) -> CommandResult:
        _ = self._
        if refused := self.refuse_change():
            return refused
        parts = rest.split(maxsplit=2)
        if len(parts) < 3 or not CODE.match(parts[0]) or parts[1].casefold() not in SETTABLE:
            return self.say(
                _("Use /hypothesis status H2 <{statuses}> <reason>; the reason is kept in its history.").format(
                    statuses="|".join(SETTABLE)
                )
            )
        code, status, reason = parts[0].upper(), parts[1].casefold(), parts[2]
        try:
            await self.repo.set_status(self.caller.team_id, code, status, reason, self.caller.name, self.now)
        except LookupError:
            return self.say(_("There is no {code}. /hypotheses lists them all.").format(code=code))
        except ValueError:
            return self.say(_("{code} was pivoted; change its successor instead.").format(code=code))
        return self.say(_("{code} is now {status}.").format(code=code, status=_(STATUSES[status])))

    async def cmd_pivot(self, arg: str) -> CommandResult:
        _ = self._
        if refused := self.refuse_change():
            return refused
        code, _sep, rest = arg.partition(" ")
        statement, _bar, reason = (part.strip() for part in rest.partition("|"))
        if not CODE.match(code) or len(statement) < 5 or not reason:
            return self.say(_("Use /pivot H2 <the new hypothesis> | <why>; the old one stays, marked pivoted."))
        try:
            new = await self.repo.pivot(
                self.caller.team_id, code.upper(), statement, reason, self.caller.name, self.now
            )
        except LookupError:
            return self.say(_("There is no {code}. /hypotheses lists them all.").format(code=code.upper()))
        except ValueError:
            return self.say(_("{code} was pivoted already; pivot its successor.").format(code=code.upper()))
        return self.say(
            _("{old} is pivoted to {new}: {statement}").format(old=code.upper(), new=new, statement=statement)
        )

    async def cmd_phase(self, arg: str) -> CommandResult:
        _ = self._
        verb, _sep, rest = arg.partition(" ")
        if not verb:
            self.result.replies.append(views.phase_reply(await self.board(), self.caller.lang))
            return self.result
        if refused := self.refuse_change():
            return refused
        board = await self.board()
        phase = board.team.phase
        if verb in ("tick", "untick"):
            ids = {item.id for item in board.gate.items if item.manual}
            if rest.strip() not in ids:
                return self.say(_("Tick one of this phase's manual items: {ids}.").format(ids=", ".join(ids) or "—"))
            await self.repo.tick(self.caller.team_id, phase, rest.strip(), self.caller.name, self.now, verb == "tick")
            self.result.replies.append(views.phase_reply(await self.board(), self.caller.lang))
            return self.result
        if verb != "next":
            return self.say(_("Use /phase, /phase next [reason], or /phase tick <item>."))
        following = next_phase(phase)
        if following is None:
            return self.say(_("Company Building is the last phase."))
        reason = rest.strip() or None
        if not board.gate.passed and not reason:
            self.result.replies.append(views.phase_reply(board, self.caller.lang))
            return self.say(_("The gate has not passed. To move on anyway, give the reason: /phase next <why>."))
        change = PhaseChange(self.now, phase, following, self.caller.name, None if board.gate.passed else reason)
        await self.repo.change_phase(self.caller.team_id, change)
        text = _("Welcome to {phase}.").format(phase=_(PHASE_NAMES[following]))
        if change.override_reason:
            text += " " + _("The gate had not passed; your reason is recorded and shown in digests.")
        return self.say(text)

    async def cmd_interviews(self, arg: str) -> CommandResult:
        wanted = whole_number(arg)
        count = wanted if wanted is not None and 0 < wanted <= 50 else 5
        self.result.replies.append(views.interviews_reply(await self.board(), count, self.caller.lang))
        return self.result

    async def cmd_funnel(self, arg: str) -> CommandResult:
        _ = self._
        parts = arg.split(maxsplit=3)
        if not parts:
            self.result.replies.append(views.funnel_reply(await self.board(), self.caller.lang))
            return self.result
        if refused := self.refuse_change():
            return refused
        count = whole_number(parts[2]) if len(parts) >= 3 else None
        if count is None or parts[0] != "log" or parts[1] not in ("contacted", "paid"):
            return self.say(_("Use /funnel log contacted 40 [segment] or /funnel log paid 3 [segment]."))
        segment = parts[3].strip() if len(parts) > 3 else None
        log = FunnelLog(parts[1], count, segment, self.now)  # type: ignore[arg-type]
        await self.repo.log_funnel(self.caller.team_id, log, self.caller.name)
        self.result.replies.append(views.funnel_reply(await self.board(), self.caller.lang))
        return self.result

    async def cmd_merge(self, arg: str) -> CommandResult:
        _ = self._
        if refused := self.refuse_change():
            return refused
        source, arrow, target = arg.partition("=>")
        if not arrow:
            source, arrow, target = arg.partition(" into ")
        source_key, target_key = normalize_item(source.strip(" \"'")), normalize_item(target.strip(" \"'"))
        if not arrow or not source_key or not target_key or source_key == target_key:
            return self.say(
                _("Use /merge <item> => <item it is the same as>, e.g. /merge slow reports => manual reporting.")
            )
        await self.repo.add_merge(self.caller.team_id, source_key, target_key, self.caller.name, self.now)
        return self.say(_("Merged “{a}” into “{b}”.").format(a=source.strip(), b=target.strip()))


async def run_command(name: str, arg: str, caller: Caller, repo: TeamRepository, now: datetime) -> CommandResult:
    """Answer a board command; mentors can read but not change anything."""
    return await _Router(caller, repo, now).run(name, arg)
