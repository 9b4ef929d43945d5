"""The handlers of typed board changes, one per change type, and `perform`: the one door every change goes through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from core.analytics.funnel import NO_SEGMENT, FunnelLog
from core.analytics.items import matching_segment, normalize_item
from core.board import views
from core.board.changes import (
    AddHypothesis,
    AdvancePhase,
    Change,
    LogFunnel,
    MergeItems,
    Pivot,
    Rejected,
    SetHypothesisStatus,
    TickGateItem,
)
from core.board.command_base import Caller, Notice
from core.board.fields import FORM, FieldError
from core.board.hypotheses import STATUSES
from core.board.notices import to_digest_chat, to_member
from core.board.phases import PHASE_NAMES, next_phase
from core.board.snapshot import Board
from core.board.team import A_ROLE, BoardRepositories, PhaseChange, TeamProfile, can_change
from core.board.team_changes import SETTING_COLUMNS, ChangeTeamSetting, SetRole, UseTeam
from core.i18n import N_, gettext_for
from core.messages import Reply, TextBuilder


class ChangeContext(Protocol):
    """Who makes the change, where it is stored, when, and how to read the board (the router provides it)."""

    @property
    def caller(self) -> Caller:
        """Who sent the change."""

    @property
    def repo(self) -> BoardRepositories:
        """The team and hypothesis repositories of this message's unit of work."""

    @property
    def now(self) -> datetime:
        """The time of the change."""

    async def board(self) -> Board:
        """The caller's team board as it stands."""


@dataclass
class Outcome:
    """What a change produced: replies, errors by field (nothing changed then), notices for teammates, a team switch."""

    replies: list[Reply] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    switch_to: tuple[int, int] | None = None
    notices: list[Notice] = field(default_factory=list)


def said(text: str) -> Outcome:
    """An outcome of one plain-text reply."""
    return Outcome([Reply(TextBuilder().add(text).build())])


def failed(field_name: str, message: str, *replies: Reply) -> Outcome:
    """An outcome of one error on a field, after any replies that explain it."""
    return Outcome(list(replies), [FieldError(field_name, message)])


MENTORS_CANNOT_CHANGE = N_("Mentors can read the board but not change it; ask a founder of the team.")


def refusal(caller: Caller, *, owner_only: bool = False) -> str | None:
    """Why the caller may not change the board here (a group chat, a mentor, not the owner), or None."""
    _ = gettext_for(caller.lang)
    if caller.is_group:
        return _("Change things in a private chat with me; here I only show the board.")
    if not can_change(caller.role):
        return _(MENTORS_CANNOT_CHANGE)
    if owner_only and caller.role != "owner":
        return _("Only the team's owner changes roles.")
    return None


C = TypeVar("C", bound=Change)
Handler = Callable[[C, ChangeContext], Awaitable[Outcome]]
HANDLERS: dict[type[Any], Handler[Any]] = {}
"""Each change type's handler."""


def handles(kind: type[C]) -> Callable[[Handler[C]], Handler[C]]:
    """Register a function as the handler of one change type."""

    def register(handler: Handler[C]) -> Handler[C]:
        HANDLERS[kind] = handler
        return handler

    return register


async def perform(attempt: Change | Rejected, context: ChangeContext) -> Outcome:
    """Check once that the caller may make this kind of change, then run its handler (or report why it failed)."""
    kind = attempt.kind if isinstance(attempt, Rejected) else type(attempt)
    if kind is not None and kind is not UseTeam and (refused := refusal(context.caller, owner_only=kind is SetRole)):
        return failed(FORM, refused)
    if isinstance(attempt, Rejected):
        return Outcome(errors=list(attempt.errors))
    return await HANDLERS[type(attempt)](attempt, context)


@handles(AddHypothesis)
async def add_hypothesis(change: AddHypothesis, context: ChangeContext) -> Outcome:
    """Create the next hypothesis."""
    _, caller = gettext_for(context.caller.lang), context.caller
    code = await context.repo.hypotheses.add(
        caller.team_id, change.statement, change.block, change.criterion, caller.name, context.now
    )
    note = "" if change.block else " " + _("Tip: give it a canvas block, e.g. /hypothesis add cs ...")
    return said(_("Added {code}: {statement}").format(code=code, statement=change.statement) + note)


@handles(SetHypothesisStatus)
async def set_hypothesis_status(change: SetHypothesisStatus, context: ChangeContext) -> Outcome:
    """Change a hypothesis's status, keeping the reason in its history."""
    _, caller, code = gettext_for(context.caller.lang), context.caller, change.code
    try:
        await context.repo.hypotheses.set_status(
            caller.team_id, code, change.status, change.reason, caller.name, context.now
        )
    except LookupError:
        return failed("code", _("There is no {code}. /hypotheses lists them all.").format(code=code))
    except ValueError:
        return failed("code", _("{code} was pivoted; change its successor instead.").format(code=code))
    return said(_("{code} is now {status}.").format(code=code, status=_(STATUSES[change.status])))


@handles(Pivot)
async def pivot(change: Pivot, context: ChangeContext) -> Outcome:
    """Mark a hypothesis pivoted and create its successor."""
    _, caller, code = gettext_for(context.caller.lang), context.caller, change.code
    try:
        new = await context.repo.hypotheses.pivot(
            caller.team_id, code, change.statement, change.reason, caller.name, context.now
        )
    except LookupError:
        return failed("code", _("There is no {code}. /hypotheses lists them all.").format(code=code))
    except ValueError:
        return failed("code", _("{code} was pivoted already; pivot its successor.").format(code=code))
    return said(_("{old} is pivoted to {new}: {statement}").format(old=code, new=new, statement=change.statement))


@handles(AdvancePhase)
async def advance_phase(change: AdvancePhase, context: ChangeContext) -> Outcome:
    """Move to the next phase when the gate passes, or with a recorded reason when it does not."""
    _, caller = gettext_for(context.caller.lang), context.caller
    board = await context.board()
    phase = board.team.phase
    following = next_phase(phase)
    if following is None:
        return failed(FORM, _("Company Building is the last phase."))
    if not board.gate.passed and not change.reason:
        message = _("The gate has not passed. To move on anyway, give the reason: /phase next <why>.")
        return failed("reason", message, views.phase_reply(board, caller.lang))
    override = None if board.gate.passed else change.reason
    await context.repo.teams.change_phase(
        caller.team_id, PhaseChange(context.now, phase, following, caller.name, override)
    )
    text = _("Welcome to {phase}.").format(phase=_(PHASE_NAMES[following]))
    if override:
        text += " " + _("The gate had not passed; your reason is recorded and shown in digests.")
    outcome = said(text)
    outcome.notices = to_digest_chat(caller, board.team, phase_news(board.team, caller.name, following, override))
    return outcome


def phase_news(team: TeamProfile, by: str, phase: str, override: str | None) -> str:
    """What the team's digest chat is told of a move to another phase, in the team's language."""
    _ = gettext_for(team.language)
    text = _("{name} moved {team} to {phase}.").format(name=by, team=team.name, phase=_(PHASE_NAMES[phase]))
    if override:
        text += " " + _("The gate had not passed; the reason: {reason}").format(reason=override)
    return text


@handles(TickGateItem)
async def tick_gate_item(change: TickGateItem, context: ChangeContext) -> Outcome:
    """Tick or untick a manual item of the current phase's gate, then show the gate."""
    _, caller = gettext_for(context.caller.lang), context.caller
    board = await context.board()
    manual = [item.id for item in board.gate.items if item.manual]
    if change.item not in manual:
        return failed("item", _("Tick one of this phase's manual items: {ids}.").format(ids=", ".join(manual) or "—"))
    await context.repo.teams.tick(caller.team_id, board.team.phase, change.item, caller.name, context.now, change.done)
    return Outcome([views.phase_reply(await context.board(), caller.lang)])


@handles(LogFunnel)
async def log_funnel(change: LogFunnel, context: ChangeContext) -> Outcome:
    """Add a funnel count, then show the funnel."""
    _, caller = gettext_for(context.caller.lang), context.caller
    segments = [row.label for row in (await context.board()).funnel if not row.is_total and row.segment != NO_SEGMENT]
    segment, note = change.segment, None
    if segment is not None:
        known = matching_segment(segment, segments)
        if known is not None and normalize_item(known) != normalize_item(segment):
            note = _("Counted for the team's segment “{segment}”.").format(segment=known)
        if known is not None:
            segment = known
        elif segments:
            message = _("“{segment}” is a new segment. The team's segments so far: {segments}.")
            note = message.format(segment=segment, segments=", ".join(segments))
    log = FunnelLog(change.step, change.count, segment, context.now)
    await context.repo.teams.log_funnel(caller.team_id, log, caller.name)
    outcome = Outcome([views.funnel_reply(await context.board(), caller.lang)])
    if note:
        outcome.replies.append(Reply(TextBuilder().add(note).build()))
    return outcome


@handles(MergeItems)
async def merge_items(change: MergeItems, context: ChangeContext) -> Outcome:
    """Record that one item is the same as another, when both are the team's items; otherwise store nothing."""
    _, caller = gettext_for(context.caller.lang), context.caller
    sides = (("source", change.source, change.source_key), ("target", change.target, change.target_key))
    known = await context.repo.teams.known_items(caller.team_id, [key for _side, _text, key in sides])
    unknown = _("No pain, job or gain of your interviews reads “{text}”; nothing was merged. Copy it from /status.")
    errors = [FieldError(side, unknown.format(text=text)) for side, text, key in sides if key not in known]
    if errors:
        return Outcome([], errors)
    await context.repo.teams.add_merge(caller.team_id, change.source_key, change.target_key, caller.name, context.now)
    return said(_("Merged “{a}” into “{b}”.").format(a=change.source, b=change.target))


@handles(ChangeTeamSetting)
async def change_team_setting(change: ChangeTeamSetting, context: ChangeContext) -> Outcome:
    """Save one team setting."""
    _ = gettext_for(context.caller.lang)
    await context.repo.teams.update_team(context.caller.team_id, **{SETTING_COLUMNS[change.setting]: change.value})
    return said(_("Saved: {key} = {value}").format(key=change.setting, value=change.value))


@handles(SetRole)
async def set_role(change: SetRole, context: ChangeContext) -> Outcome:
    """Give the one member of that name a new role."""
    _, caller = gettext_for(context.caller.lang), context.caller
    wanted = change.member.casefold()
    members = [
        member for member in await context.repo.teams.members(caller.team_id) if member.name.casefold() == wanted
    ]
    if not members:
        everyone = ", ".join(member.name for member in await context.repo.teams.members(caller.team_id))
        message = _("There is no member called {name} in the team. Members: {names}.")
        return failed("member", message.format(name=change.member, names=everyone))
    if len(members) > 1:
        return failed(
            "member", _("More than one member is called {name}; I can't tell them apart.").format(name=change.member)
        )
    member = members[0]
    await context.repo.teams.set_role(caller.team_id, member.id, change.role)
    outcome = said(_("{name} is now {role}.").format(name=member.name, role=_(A_ROLE[change.role])))
    if member.role != change.role:
        news = role_news(await context.repo.teams.team(caller.team_id), caller.name, change.role)
        outcome.notices = to_member(caller, member, news)
    return outcome


def role_news(team: TeamProfile, by: str, role: str) -> str:
    """What a member is told of their new role, in the team's language."""
    _ = gettext_for(team.language)
    return _("{name} changed your role in {team}: you are now {role}.").format(
        name=by, team=team.name, role=_(A_ROLE[role])
    )


@handles(UseTeam)
async def use_team(change: UseTeam, context: ChangeContext) -> Outcome:
    """Switch the conversation to another of the caller's teams (not in the middle of an interview)."""
    _, caller = gettext_for(context.caller.lang), context.caller
    teams = await context.repo.teams.teams_of(caller.platform, caller.user)
    for team, member_id, _role in teams:
        if team.slug == change.slug:
            if caller.interview_open:
                return failed(FORM, _("Finish or /cancel the interview you have open first, then switch teams."))
            outcome = said(_("Now working in {team}.").format(team=team.name))
            outcome.switch_to = (team.id, member_id)
            return outcome
    message = _("You are not in a team called {slug}. Your teams: {teams}.")
    return failed("slug", message.format(slug=change.slug, teams=", ".join(t.slug for t, _m, _r in teams) or "—"))
