"""Typed board changes: one frozen dataclass per change, built from raw values with errors keyed by field.

`X.build(lang=..., **raw)` takes what a form submits (strings) and returns the change, or a list of
`FieldError`s whose messages are already translated; a slash command and a form build the same change and
run it through the same handler (core/board/handlers.py). Changes to the team itself (a setting, a role, the
team in use) are in core/board/team_changes.py; the field error they share in core/board/fields.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import get_args

from core.analytics.funnel import FunnelStep
from core.analytics.items import normalize_item
from core.board.fields import FULLWIDTH_DIGITS, FieldError, typed_count
from core.board.hypotheses import SETTABLE, block_choices, block_of
from core.board.team_changes import ChangeTeamSetting, SetRole, UseTeam
from core.i18n import N_, gettext_for

MIN_STATEMENT = 5
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


def hypothesis_code(text: str) -> str | None:
    """A hypothesis code as typed ("h2", "H02", full-width "Ｈ２") in its stored form ("H2"), else None."""
    match = _CODE.fullmatch(text.strip().translate(FULLWIDTH_DIGITS))
    return f"H{int(match.group(1))}" if match else None


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
        number = typed_count(count)
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
