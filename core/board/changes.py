"""Typed board changes: one frozen dataclass per change, built from raw values with errors keyed by field.

`X.build(lang=..., **raw)` takes what a form submits (strings) and returns the change, or a list of
`FieldError`s whose messages are already translated; a slash command and a form build the same change and
run it through the same handler (core/board/handlers.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args
from zoneinfo import available_timezones

from core.analytics.funnel import FunnelStep
from core.analytics.items import normalize_item
from core.board.command_base import whole_number
from core.board.hypotheses import SETTABLE, block_choices, block_of
from core.board.team import ROLES, Role
from core.i18n import LANGUAGES, N_, gettext_for

FORM = "_form"
"""The field name of an error about the change as a whole rather than one of its fields."""
MIN_STATEMENT = 5
MAX_TEAM_TEXT = 200  # the team name column's size; the segment is kept to the same

TeamSetting = Literal["name", "timezone", "language", "target", "goal", "segment"]
SETTING_ALIASES: dict[str, TeamSetting] = {"tz": "timezone", "lang": "language"}
SETTING_COLUMNS: dict[TeamSetting, str] = {
    "name": "name",
    "timezone": "timezone",
    "language": "language",
    "target": "weekly_target",
    "goal": "goal_total",
    "segment": "target_segment",
}
"""Each setting's column in the team's profile."""

FUNNEL_STEP_NAMES: dict[FunnelStep, str] = {"contacted": N_("contacted"), "paid": N_("paid")}
"""The funnel steps a team logs by hand (the others are counted from interviews), with their display names."""
FUNNEL_STEPS: dict[str, FunnelStep] = {
    **{step: step for step in get_args(FunnelStep)},
    **dict.fromkeys(["контакт", "контакты", "связались"], "contacted"),
    **dict.fromkeys(["оплата", "оплаты", "оплатили"], "paid"),
}
"""Each funnel step by the words a founder may type for it (English or Russian)."""


def funnel_steps(lang: str) -> str:
    """The steps a team logs, as typed, with their names where the language has its own: "contacted (контакт)"."""
    _ = gettext_for(lang)
    shown = [step if _(name) == step else f"{step} ({_(name)})" for step, name in FUNNEL_STEP_NAMES.items()]
    return ", ".join(shown)


_CODE = re.compile(r"[Hh]([0-9]{1,5})")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｈｈ", "0123456789Hh")


@dataclass(frozen=True)
class FieldError:
    """A validation error next to one field of a form (`FORM` for the whole change), translated."""

    field: str
    message: str


def hypothesis_code(text: str) -> str | None:
    """A hypothesis code as typed ("h2", "H02", full-width "Ｈ２") in its stored form ("H2"), else None."""
    match = _CODE.fullmatch(text.strip().translate(_FULLWIDTH_DIGITS))
    return f"H{int(match.group(1))}" if match else None


def _count(text: str) -> int | None:
    return whole_number(text.strip().translate(_FULLWIDTH_DIGITS))


@dataclass(frozen=True)
class AddHypothesis:
    """A new hypothesis, optionally on a canvas block and with a success criterion."""

    statement: str
    block: str | None = None
    criterion: str | None = None

    @classmethod
    def build(
        cls, *, statement: str, block: str | None = None, criterion: str | None = None, lang: str = "en"
    ) -> AddHypothesis | list[FieldError]:
        """The change, or what is wrong with each field."""
        _ = gettext_for(lang)
        errors = []
        statement = statement.strip()
        if len(statement) < MIN_STATEMENT:
            message = _("Write the hypothesis in a few words (at least {count} characters).")
            errors.append(FieldError("statement", message.format(count=MIN_STATEMENT)))
        block_id = block_of(block) if block and block.strip() else None
        if block and block.strip() and block_id is None:
            message = _(
                "There is no canvas block “{block}”. Blocks: {blocks}. To add it without a block: "
                "/hypothesis add - <statement>"
            )
            errors.append(FieldError("block", message.format(block=block.strip(), blocks=block_choices(lang))))
        return errors or cls(statement, block_id, (criterion or "").strip() or None)


def _code_errors(code: str, lang: str) -> tuple[str, list[FieldError]]:
    normalized = hypothesis_code(code)
    if normalized is None:
        return "", [FieldError("code", gettext_for(lang)("Give a hypothesis code like H2."))]
    return normalized, []


def _reason_errors(reason: str, lang: str) -> list[FieldError]:
    if reason.strip():
        return []
    return [FieldError("reason", gettext_for(lang)("Give the reason; it is kept in the hypothesis's history."))]


@dataclass(frozen=True)
class SetHypothesisStatus:
    """A hypothesis's new status (never "pivoted": that takes a Pivot), with the reason kept in its history."""

    code: str
    status: str
    reason: str

    @classmethod
    def build(cls, *, code: str, status: str, reason: str, lang: str = "en") -> SetHypothesisStatus | list[FieldError]:
        """The change, or what is wrong with each field."""
        _ = gettext_for(lang)
        normalized, errors = _code_errors(code, lang)
        wanted = status.strip().casefold()
        if wanted not in SETTABLE:
            errors.append(FieldError("status", _("Choose one of: {choices}.").format(choices=", ".join(SETTABLE))))
        errors += _reason_errors(reason, lang)
        return errors or cls(normalized, wanted, reason.strip())


@dataclass(frozen=True)
class Pivot:
    """Replace a hypothesis by a new statement; the old one stays, marked pivoted, with the reason."""

    code: str
    statement: str
    reason: str

    @classmethod
    def build(cls, *, code: str, statement: str, reason: str, lang: str = "en") -> Pivot | list[FieldError]:
        """The change, or what is wrong with each field."""
        _ = gettext_for(lang)
        normalized, errors = _code_errors(code, lang)
        statement = statement.strip()
        if len(statement) < MIN_STATEMENT:
            message = _("Write the hypothesis in a few words (at least {count} characters).")
            errors.append(FieldError("statement", message.format(count=MIN_STATEMENT)))
        errors += _reason_errors(reason, lang)
        return errors or cls(normalized, statement, reason.strip())


@dataclass(frozen=True)
class AdvancePhase:
    """Move the team to the next phase; a reason is required (and recorded) when the gate has not passed."""

    reason: str | None = None

    @classmethod
    def build(cls, *, reason: str | None = None, lang: str = "en") -> AdvancePhase | list[FieldError]:
        """The change; any reason is acceptable, whether one is needed depends on the gate."""
        return cls((reason or "").strip() or None)


@dataclass(frozen=True)
class TickGateItem:
    """Tick (or untick) a manual item of the current phase's gate."""

    item: str
    done: bool = True

    @classmethod
    def build(cls, *, item: str, done: bool = True, lang: str = "en") -> TickGateItem | list[FieldError]:
        """The change; whether the item exists depends on the team's phase, so the handler checks it."""
        return cls(item.strip(), done)


@dataclass(frozen=True)
class LogFunnel:
    """A count of people contacted or customers who paid, optionally for one segment."""

    step: FunnelStep
    count: int
    segment: str | None = None

    @classmethod
    def build(
        cls, *, step: str, count: str, segment: str | None = None, lang: str = "en"
    ) -> LogFunnel | list[FieldError]:
        """The change, or what is wrong with each field."""
        _ = gettext_for(lang)
        errors = []
        known = FUNNEL_STEPS.get(step.strip().casefold())
        if known is None:
            message = _("Log one of these steps: {choices}.").format(choices=funnel_steps(lang))
            errors.append(FieldError("step", message))
        number = _count(count)
        if number is None:
            errors.append(FieldError("count", _("Please give a whole number, like 15.")))
        if known is None or number is None:
            return errors
        return cls(known, number, (segment or "").strip() or None)


@dataclass(frozen=True)
class MergeItems:
    """Declare that one item (a pain, job, gain...) is the same as another, as typed."""

    source: str
    target: str

    @property
    def source_key(self) -> str:
        """The merged item's grouping key."""
        return normalize_item(self.source)

    @property
    def target_key(self) -> str:
        """The grouping key of the item it is merged into."""
        return normalize_item(self.target)

    @classmethod
    def build(cls, *, source: str, target: str, lang: str = "en") -> MergeItems | list[FieldError]:
        """The change, or what is wrong with each field."""
        _ = gettext_for(lang)
        change = cls(source.strip(" \"'"), target.strip(" \"'"))
        errors = []
        if not change.source_key:
            errors.append(FieldError("source", _("Name the item to merge.")))
        if not change.target_key:
            errors.append(FieldError("target", _("Name the item it is the same as.")))
        elif change.source_key == change.target_key:
            errors.append(FieldError("target", _("An item cannot be merged into itself.")))
        return errors or change


def settable(lang: str) -> str:
    """The line that lists every team setting (and its aliases)."""
    keys = ", ".join(sorted([*get_args(TeamSetting), *SETTING_ALIASES]))
    return gettext_for(lang)("Settable: {keys}.").format(keys=keys)


@dataclass(frozen=True)
class ChangeTeamSetting:
    """One team setting's new value: an int for target and goal, text for the others.

    An error about the value is keyed by the setting's name ("target", "timezone"...), so a settings form
    with one input per setting shows it next to that input; an unknown setting is keyed "setting".
    """

    setting: TeamSetting
    value: str | int

    @classmethod
    def build(cls, *, setting: str, value: str, lang: str = "en") -> ChangeTeamSetting | list[FieldError]:
        """The change, or what is wrong with the setting or its value."""
        _ = gettext_for(lang)
        key = setting.strip().casefold()
        settings: tuple[TeamSetting, ...] = get_args(TeamSetting)
        known = SETTING_ALIASES.get(key) or next((known for known in settings if known == key), None)
        if known is None:
            return [FieldError("setting", settable(lang))]
        value = value.strip()
        if known in ("target", "goal"):
            number = _count(value)
            if number is None or not 0 < number <= 10000:
                return [FieldError(known, _("Please give a whole number, like 15."))]
            return cls(known, number)
        if not value:
            return [FieldError(known, _("Give a value."))]
        if known == "timezone" and value not in available_timezones():
            return [FieldError(known, _("Unknown timezone {tz}; use a name like Europe/Lisbon.").format(tz=value))]
        if known == "language" and value not in LANGUAGES:
            return [FieldError(known, _("Languages: en, ru."))]
        if len(value) > MAX_TEAM_TEXT:
            return [FieldError(known, _("At most {count} characters, please.").format(count=MAX_TEAM_TEXT))]
        return cls(known, value)


@dataclass(frozen=True)
class SetRole:
    """A member's new role, the member named as the team shows them; only the owner changes roles."""

    member: str
    role: Role

    @classmethod
    def build(cls, *, member: str, role: str, lang: str = "en") -> SetRole | list[FieldError]:
        """The change, or what is wrong with each field; whether the member exists the handler checks."""
        _ = gettext_for(lang)
        errors = []
        if not member.strip():
            errors.append(FieldError("member", _("Name the member.")))
        roles: tuple[Role, ...] = get_args(Role)
        known = next((known for known in roles if known == role.strip().casefold()), None)
        if known is None:
            errors.append(FieldError("role", _("Choose one of: {choices}.").format(choices=", ".join(ROLES))))
        if errors or known is None:
            return errors
        return cls(member.strip(), known)


@dataclass(frozen=True)
class UseTeam:
    """Switch the conversation to another team the caller belongs to."""

    slug: str

    @classmethod
    def build(cls, *, slug: str, lang: str = "en") -> UseTeam | list[FieldError]:
        """The change, or that no team was named."""
        if not slug.strip():
            return [FieldError("slug", gettext_for(lang)("Name the team to switch to."))]
        return cls(slug.strip())


Change = (
    AddHypothesis
    | SetHypothesisStatus
    | Pivot
    | AdvancePhase
    | TickGateItem
    | LogFunnel
    | MergeItems
    | ChangeTeamSetting
    | SetRole
    | UseTeam
)


@dataclass(frozen=True)
class Rejected:
    """A change that could not be built: which kind was meant (None: no change at all) and why."""

    kind: type[Change] | None
    errors: tuple[FieldError, ...]
