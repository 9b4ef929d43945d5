"""The slash-text syntax of board changes: `/hypothesis add ...`, `/pivot ...`, `/team set ...` into typed changes.

A malformed command becomes a `Rejected` carrying the usage line the chat has always shown; reads (`/team`,
`/phase`, `/hypothesis H2`...) are not changes and parse to None.
"""

from __future__ import annotations

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
    funnel_steps,
)
from core.board.fields import FORM, FieldError
from core.board.hypotheses import SETTABLE, block_choices, block_of, near_block
from core.board.team_changes import ChangeTeamSetting, SetRole, UseTeam, settable
from core.i18n import gettext_for


def _usage(kind: type[Change] | None, text: str) -> Rejected:
    return Rejected(kind, (FieldError(FORM, text),))


def _words(text: str, count: int) -> list[str]:
    """The first count - 1 words and the rest of the text, padded with empty strings."""
    words = text.split(maxsplit=count - 1)
    return words + [""] * (count - len(words))


def _or_usage(built: Change | list[FieldError], kind: type[Change], text: str) -> Change | Rejected:
    return _usage(kind, text) if isinstance(built, list) else built


def parse_change(name: str, arg: str, lang: str) -> Change | Rejected | None:
    """The change a board command's text asks for, its rejection with a usage line, or None for a read."""
    arg = arg.strip()
    verb, _sep, rest = arg.partition(" ")
    if name == "hypothesis" and verb == "add":
        return _add_hypothesis(rest, lang)
    if name == "hypothesis" and verb == "status":
        return _set_status(rest, lang)
    if name == "pivot":
        return _pivot(arg, lang)
    if name == "phase" and verb:
        return _phase(verb, rest, lang)
    if name == "funnel" and verb:
        return _log_funnel(arg, lang)
    if name == "merge":
        return _merge(arg, lang)
    if name == "team" and verb:
        return _team(verb, rest, lang)
    return None


def _add_hypothesis(rest: str, lang: str) -> Change | Rejected:
    _ = gettext_for(lang)
    first, _sep, remainder = rest.strip().partition(" ")
    # The first word is the block when it names one; "-" says "no block"; a near miss is a typo to point out.
    named = first == "-" or block_of(first.rstrip(":")) is not None or bool(remainder.strip() and near_block(first))
    block = first.rstrip(":") if named and first != "-" else None
    statement, _bar, criterion = (remainder if named else rest).partition("|")
    built = AddHypothesis.build(statement=statement, block=block, criterion=criterion, lang=lang)
    if isinstance(built, list) and any(error.field == "block" for error in built):
        return Rejected(AddHypothesis, tuple(error for error in built if error.field == "block"))
    usage = _(
        "Write the hypothesis after the block, e.g. /hypothesis add vp Clinics lose hours "
        "re-booking patients | 8 of 10 confirm it. Blocks: {blocks}."
    ).format(blocks=block_choices(lang))
    return _or_usage(built, AddHypothesis, usage)


def _set_status(rest: str, lang: str) -> Change | Rejected:
    _ = gettext_for(lang)
    code, status, reason = _words(rest, 3)
    built = SetHypothesisStatus.build(code=code, status=status, reason=reason, lang=lang)
    usage = _("Use /hypothesis status H2 <{statuses}> <reason>; the reason is kept in its history.")
    return _or_usage(built, SetHypothesisStatus, usage.format(statuses="|".join(SETTABLE)))


def _pivot(arg: str, lang: str) -> Change | Rejected:
    _ = gettext_for(lang)
    code, _sep, rest = arg.partition(" ")
    statement, _bar, reason = rest.partition("|")
    built = Pivot.build(code=code, statement=statement, reason=reason, lang=lang)
    return _or_usage(built, Pivot, _("Use /pivot H2 <the new hypothesis> | <why>; the old one stays, marked pivoted."))


def _phase(verb: str, rest: str, lang: str) -> Change | Rejected:
    _ = gettext_for(lang)
    usage = _("Use /phase, /phase next [reason], or /phase tick <item>.")
    if verb in ("tick", "untick"):
        return _or_usage(TickGateItem.build(item=rest, done=verb == "tick", lang=lang), TickGateItem, usage)
    if verb == "next":
        return _or_usage(AdvancePhase.build(reason=rest, lang=lang), AdvancePhase, usage)
    return _usage(AdvancePhase, usage)


def _log_funnel(arg: str, lang: str) -> Change | Rejected:
    _ = gettext_for(lang)
    usage = _(
        "Use /funnel log <step> <count> [segment], e.g. /funnel log contacted 40 Dental clinics. "
        "Steps you log: {steps}; interviewed, shown the offer and committed are counted from interviews."
    ).format(steps=funnel_steps(lang))
    verb, step, count, segment = _words(arg, 4)
    if verb != "log":
        return _usage(LogFunnel, usage)
    return _or_usage(LogFunnel.build(step=step, count=count, segment=segment, lang=lang), LogFunnel, usage)


def _merge(arg: str, lang: str) -> Change | Rejected:
    _ = gettext_for(lang)
    source, arrow, target = arg.partition("=>")
    if not arrow:
        source, arrow, target = arg.partition(" into ")
    usage = _("Use /merge <item> => <item it is the same as>, e.g. /merge slow reports => manual reporting.")
    if not arrow:
        return _usage(MergeItems, usage)
    return _or_usage(MergeItems.build(source=source, target=target, lang=lang), MergeItems, usage)


def _team(verb: str, rest: str, lang: str) -> Change | Rejected:
    _ = gettext_for(lang)
    usage = _(
        "Use /team, /team use <team>, /team set <target|goal|segment|timezone|language|name> "
        "<value>, or /team role <name> <owner|founder|mentor>."
    )
    if verb == "use":
        return _or_usage(UseTeam.build(slug=rest, lang=lang), UseTeam, usage)
    if verb == "set":
        key, _sep, value = rest.strip().partition(" ")
        built = ChangeTeamSetting.build(setting=key, value=value, lang=lang)
        if not isinstance(built, list):
            return built
        if built[0].field == "setting" or not value.strip():
            return _usage(ChangeTeamSetting, settable(lang))
        # "Unknown timezone ...", "Languages: en, ru." say more than the list of settings would.
        return Rejected(ChangeTeamSetting, tuple(built))
    if verb == "role":
        name, _sep, role = rest.strip().rpartition(" ")
        role_usage = _("Use /team role <member name> <owner|founder|mentor>.")
        return _or_usage(SetRole.build(member=name, role=role, lang=lang), SetRole, role_usage)
    return _usage(ChangeTeamSetting, usage)
