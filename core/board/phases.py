"""The four Customer Development phases, their key questions and exit gates computed from the data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.board.hypotheses import BLOCKS
from core.i18n import N_, gettext_for
from core.yaml_data import YamlInvalid, YamlProblem, dotted, parse_yaml

PHASES = ("discovery", "validation", "creation", "building")
PHASE_NAMES = {
    "discovery": N_("Customer Discovery"),
    "validation": N_("Customer Validation"),
    "creation": N_("Customer Creation"),
    "building": N_("Company Building"),
}
KEY_QUESTIONS = {
    "discovery": N_("Do we understand the customer and the problem?"),
    "validation": N_("Will they pay?"),
    "creation": N_("Can we reach them at scale?"),
    "building": N_("Can we run it as a company?"),
}
CheckKind = Literal[
    "interviews",
    "top_pain",
    "hypotheses_validated",
    "price_answers",
    "sean_ellis",
    "money_commitments",
    "funnel_logged",
    "any_of",
    "manual",
]


class Check(BaseModel):
    """One measurable criterion; which fields apply depends on `check`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: CheckKind
    min: int | None = Field(default=None, ge=0)
    script: str | None = None
    in_target_segment: bool = False
    share: float | None = Field(default=None, ge=0, le=1)
    min_severity: int = Field(default=4, ge=1, le=5)
    blocks: list[str] = Field(default_factory=list)
    min_answers: int | None = Field(default=None, ge=0)
    very_share: float | None = Field(default=None, ge=0, le=1)
    any: list[Check] | None = None
    label: str | None = None


class GateItem(Check):
    """A named item of a phase's exit gate."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)


class GatesConfig(BaseModel):
    """The gate checklist of every phase."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    discovery: list[GateItem] = Field(default_factory=list)
    validation: list[GateItem] = Field(default_factory=list)
    creation: list[GateItem] = Field(default_factory=list)
    building: list[GateItem] = Field(default_factory=list)

    def items(self, phase: str) -> list[GateItem]:
        """The checklist of a phase."""
        return list(getattr(self, phase))


@lru_cache(maxsize=256)  # every board reads its team's gates: parse each text once (the model is frozen)
def load_gates_text(text: str, source: str, lang: str = "en") -> GatesConfig:
    """Parse and validate a gates file; raise YamlInvalid naming file, line and field."""
    _ = gettext_for(lang)
    data, locate = parse_yaml(text, source, lang)
    if not isinstance(data, dict):
        raise YamlInvalid([YamlProblem(source, 1, "", _("a gates file maps each phase to its checklist"))])
    try:
        config = GatesConfig.model_validate(data)
    except ValidationError as exc:
        problems = [
            YamlProblem(source, locate.line(tuple(e["loc"])), dotted(tuple(e["loc"])), e["msg"]) for e in exc.errors()
        ]
        raise YamlInvalid(problems) from None
    problems = []
    for phase in PHASES:
        for index, item in enumerate(config.items(phase)):
            for check, loc in _walk(item, (phase, index)):
                problem = _check_problem(check)
                if problem:
                    problems.append(YamlProblem(source, locate.line(loc), dotted(loc), _(problem)))
    if problems:
        raise YamlInvalid(problems)
    return config


def _walk(check: Check, loc: tuple[str | int, ...]) -> list[tuple[Check, tuple[str | int, ...]]]:
    found = [(check, loc)]
    for index, inner in enumerate(check.any or []):
        found += _walk(inner, (*loc, "any", index))
    return found


def _check_problem(check: Check) -> str | None:
    if check.check == "any_of" and not check.any:
        return N_("any_of needs a list under any")
    if check.check == "manual" and not check.label:
        return N_("a manual item needs a label")
    if check.check in ("interviews", "price_answers", "money_commitments") and check.min is None:
        return N_("this check needs min")
    if check.check == "top_pain" and check.share is None:
        return N_("top_pain needs share")
    if check.check == "sean_ellis" and (check.min_answers is None or check.very_share is None):
        return N_("sean_ellis needs min_answers and very_share")
    if check.check == "hypotheses_validated" and (not check.blocks or set(check.blocks) - set(BLOCKS)):
        return N_("blocks must list canvas blocks: customer_segments, value_propositions, ...")
    return None


@cache  # the packaged file does not change while the bot runs; most teams' boards read it
def default_gates() -> GatesConfig:
    """The gates that ship with cusdev."""
    text = resources.files("core.board").joinpath("gates.yaml").read_text(encoding="utf-8")
    return load_gates_text(text, "core/board/gates.yaml")


@dataclass(frozen=True)
class GateFacts:
    """What gate checks read, computed from the team's data by the board."""

    interviews: Mapping[tuple[str | None, bool], int] = field(default_factory=dict)
    top_pain: Callable[[int], tuple[str | None, int, int]] = lambda severity: (None, 0, 0)
    statuses_by_block: Mapping[str, Sequence[str]] = field(default_factory=dict)
    price_answers: int = 0
    sean_ellis_n: int = 0
    very_share: Decimal | None = None
    money_commitments: int = 0
    funnel_logged: bool = False
    ticked: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ItemResult:
    """A gate item with its progress."""

    id: str
    label: str
    progress: str
    passed: bool
    manual: bool = False


@dataclass(frozen=True)
class Gate:
    """A phase's exit gate, evaluated."""

    phase: str
    items: tuple[ItemResult, ...]

    @property
    def passed(self) -> bool:
        """Every item passes."""
        return all(item.passed for item in self.items)


def evaluate_gate(phase: str, config: GatesConfig, facts: GateFacts, lang: str) -> Gate:
    """Each item of the phase's gate with its progress, in the team's language."""
    results = []
    for item in config.items(phase):
        label, progress, passed = _evaluate(item, facts, lang, item.id)
        results.append(ItemResult(item.id, label, progress, passed, item.check == "manual"))
    return Gate(phase, tuple(results))


def percent(value: float | Decimal | None) -> str:
    """A share as a whole percentage, or a dash when unknown."""
    return "—" if value is None else f"{round(float(value) * 100)}%"


def _evaluate(check: Check, facts: GateFacts, lang: str, item_id: str) -> tuple[str, str, bool]:
    _ = gettext_for(lang)
    if check.check == "interviews":
        target = check.min or 0
        count = facts.interviews.get((check.script, check.in_target_segment), 0)
        label = (
            _("At least {n} problem interviews in the target segment")
            if check.in_target_segment
            else _("At least {n} interviews")
        )
        return label.format(n=target), f"{count}/{target}", count >= target
    if check.check == "top_pain":
        name, count, total = facts.top_pain(check.min_severity)
        named = Decimal(count) / total if total else Decimal(0)
        label = _("A top pain named by at least {share} of them with severity {severity}+").format(
            share=percent(check.share), severity=check.min_severity
        )
        progress = f"{percent(named)} ({count}/{total})" + (f": “{name}”" if name else "")
        return label, progress, total > 0 and named >= Decimal(str(check.share))
    if check.check == "hypotheses_validated":
        names = ", ".join(_(BLOCKS[block]) for block in check.blocks)
        statuses = [s for block in check.blocks for s in facts.statuses_by_block.get(block, ()) if s != "pivoted"]
        validated = sum(status == "validated" for status in statuses)
        label = _("{blocks} hypotheses validated").format(blocks=names)
        missing = [b for b in check.blocks if not [s for s in facts.statuses_by_block.get(b, ()) if s != "pivoted"]]
        return label, f"{validated}/{len(statuses)}", bool(statuses) and validated == len(statuses) and not missing
    if check.check == "price_answers":
        target = check.min or 0
        label = _("At least {n} price answers with a Van Westendorp range").format(n=target)
        return label, f"{facts.price_answers}/{target}", facts.price_answers >= target
    if check.check == "sean_ellis":
        needed, share = check.min_answers or 0, check.very_share or 0
        label = _("At least {share} “very disappointed” among at least {n} Sean Ellis answers").format(
            share=percent(share), n=needed
        )
        passed = (
            facts.sean_ellis_n >= needed and facts.very_share is not None and facts.very_share >= Decimal(str(share))
        )
        return label, f"{percent(facts.very_share)} ({facts.sean_ellis_n}/{needed})", passed
    if check.check == "money_commitments":
        target = check.min or 0
        label = _("At least {n} money commitments (pre-order, deposit, LOI, paid pilot)").format(n=target)
        return label, f"{facts.money_commitments}/{target}", facts.money_commitments >= target
    if check.check == "funnel_logged":
        progress = _("logged") if facts.funnel_logged else _("not yet: log with /funnel")
        return _("Funnel metrics logged (contacted and paid)"), progress, facts.funnel_logged
    if check.check == "any_of":
        parts = [_evaluate(inner, facts, lang, item_id) for inner in check.any or []]
        label = _(" or ").join(part[0] for part in parts)
        return label, " | ".join(part[1] for part in parts), any(part[2] for part in parts)
    ticked = item_id in facts.ticked
    return _(check.label or item_id), _("done") if ticked else _("not yet"), ticked


def next_phase(phase: str) -> str | None:
    """The phase after this one, or None after Company Building."""
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None
