"""The four Customer Development phases, their key questions, and the gates file that lists each exit gate."""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.board.hypotheses import BLOCKS
from core.i18n import N_, gettext_for
from core.yaml_data import Loc, YamlInvalid, YamlLocator, YamlProblem, dotted, parse_yaml

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
    "paid",
    "funnel_conversion",
    "funnel_logged",
    "money_commitments",
    "any_of",
    "manual",
    "price_answers",
    "sean_ellis",
]
INFORMATION_ONLY = {
    "price_answers": N_("Van Westendorp prices are information for /funnel, not a gate item; remove this item"),
    "sean_ellis": N_("Sean Ellis answers are information for /status, not a gate item; remove this item"),
}
"""Check kinds a team's stored gates may still hold (they are evaluated), but `gates set` no longer accepts."""
EMPTY_PHASE = N_("every phase needs at least one item (a gate with none never passes)")
REPEATED_ID = N_("the id {id} is used twice in this phase")
_NEW_RULES = {EMPTY_PHASE, REPEATED_ID, *INFORMATION_ONLY.values()}
"""Rules added after teams could save gates: a file a team saved before them is not refused for them."""
TOP_PAIN_MIN = 10
"""Problem interviews a top pain's share needs when its item names no `min`: one of one is no evidence."""


class Check(BaseModel):
    """One measurable criterion; which fields apply depends on `check`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: CheckKind
    min: int | None = Field(default=None, ge=0)
    script: str | None = None
    with_pains: bool = False
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

    discovery: list[GateItem] | None = None
    validation: list[GateItem] | None = None
    creation: list[GateItem] | None = None
    building: list[GateItem] | None = None

    def items(self, phase: str) -> list[GateItem]:
        """The checklist of a phase (empty when the file leaves it out)."""
        return list(getattr(self, phase) or [])


@lru_cache(maxsize=256)  # every board reads its team's gates: parse each text once (the model is frozen)
def load_gates_text(text: str, source: str, lang: str = "en", stored: bool = False) -> GatesConfig:
    """Parse and validate a gates file; raise YamlInvalid naming file, line and field of every problem.

    `stored`: a file a team saved earlier, read as it was accepted then (an empty phase, a repeated id and the
    information-only checks pass; its gate simply never passes, or evaluates them as before).
    """
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
    found = [(loc, msgid, args) for loc, msgid, args in _problems(config) if not stored or msgid not in _NEW_RULES]
    if found:
        raise YamlInvalid([_located(source, locate, loc, _(msgid).format(**args)) for loc, msgid, args in found])
    return config


def _located(source: str, locate: YamlLocator, loc: Loc, message: str) -> YamlProblem:
    return YamlProblem(source, locate.line(loc), dotted(loc), message)


def _problems(config: GatesConfig) -> list[tuple[Loc, str, dict[str, str]]]:
    """Every rule a file breaks: where, the message id and its arguments."""
    found: list[tuple[Loc, str, dict[str, str]]] = []
    for phase in PHASES:
        items = config.items(phase)
        if not items:
            found.append(((phase,), EMPTY_PHASE, {}))
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                found.append(((phase, index, "id"), REPEATED_ID, {"id": item.id}))
            seen.add(item.id)
            for check, loc in _walk(item, (phase, index)):
                problem = _check_problem(check)
                if problem:
                    found.append((loc, problem, {}))
    return found


def _walk(check: Check, loc: Loc) -> list[tuple[Check, Loc]]:
    found = [(check, loc)]
    for index, inner in enumerate(check.any or []):
        found += _walk(inner, (*loc, "any", index))
    return found


def _check_problem(check: Check) -> str | None:
    if check.check in INFORMATION_ONLY:
        return INFORMATION_ONLY[check.check]
    if check.check == "any_of" and not check.any:
        return N_("any_of needs a list under any")
    if check.check == "manual" and not check.label:
        return N_("a manual item needs a label")
    if check.check in ("interviews", "paid", "money_commitments") and check.min is None:
        return N_("this check needs min")
    if check.check == "top_pain" and check.share is None:
        return N_("top_pain needs share")
    if check.check == "hypotheses_validated" and (not check.blocks or set(check.blocks) - set(BLOCKS)):
        return N_("blocks must list canvas blocks: customer_segments, value_propositions, ...")
    return None


@cache  # the packaged file does not change while the bot runs; most teams' boards read it
def default_gates() -> GatesConfig:
    """The gates that ship with cusdev."""
    return load_gates_text(default_gates_text(), "core/board/gates.yaml")


def default_gates_text() -> str:
    """The gates file that ships with cusdev, as written."""
    return resources.files("core.board").joinpath("gates.yaml").read_text(encoding="utf-8")


def next_phase(phase: str) -> str | None:
    """The phase after this one, or None after Company Building."""
    index = PHASES.index(phase)
    return PHASES[index + 1] if index + 1 < len(PHASES) else None
