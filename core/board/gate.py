"""A phase's exit gate evaluated: each item of the gates file (core.board.phases) checked against the team's data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.board.hypotheses import BLOCK_ALIASES, BLOCKS
from core.board.phases import TOP_PAIN_MIN, Check, GatesConfig
from core.i18n import gettext_for, ngettext_for
from core.messages import shorten

PAIN_SHOWN = 200
"""A top pain quoted on a board screen is cut here: a pasted 5,000-character answer must not fill /status."""

FUNNEL_LOGGED_STEPS = ("contacted", "paid")
"""The funnel steps only the team can log (the others come from interviews)."""


@dataclass(frozen=True)
class GateFacts:
    """What gate checks read, computed from the team's data by the board."""

    interviews: Mapping[tuple[str | None, bool, bool], int] = field(default_factory=dict)
    """Completed interviews by (script or None for any, in the target segment, recording a pain)."""
    top_pain: Callable[[int], tuple[str | None, int, int]] = lambda severity: (None, 0, 0)
    """For a severity: the top pain, the problem interviews naming it that severely, all problem interviews."""
    statuses_by_block: Mapping[str, Sequence[str]] = field(default_factory=dict)
    paid: int = 0
    """Customers who paid (orders and paid pilots), as the team logged them."""
    conversions: tuple[Decimal | None, ...] = ()
    """The whole funnel's conversion at each stage; None where a stage cannot be measured yet."""
    logged_steps: frozenset[str] = frozenset()
    money_commitments: int = 0
    price_answers: int = 0
    sean_ellis_n: int = 0
    very_share: Decimal | None = None
    ticked: frozenset[str] = frozenset()
    segment_set: bool = True
    """Whether the team set a target segment; without one every interview counts, and labels don't name it."""


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
        """Every item passes, and there is at least one: an empty gate proves nothing."""
        return bool(self.items) and all(item.passed for item in self.items)


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


Result = tuple[str, str, bool]
"""An item's label, progress and whether it passes."""


def _evaluate(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    return _CHECKS[check.check](check, facts, lang, item_id)


def _interviews(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    n_ = ngettext_for(lang)
    target = check.min or 0
    count = facts.interviews.get((check.script, check.in_target_segment, check.with_pains), 0)
    in_segment = check.in_target_segment and facts.segment_set
    if check.with_pains and in_segment:
        label = n_(
            "At least {n} interview in the target segment that records a pain",
            "At least {n} interviews in the target segment that record a pain",
            target,
        )
    elif check.with_pains:
        label = n_("At least {n} interview that records a pain", "At least {n} interviews that record a pain", target)
    elif in_segment:
        label = n_(
            "At least {n} interview in the target segment", "At least {n} interviews in the target segment", target
        )
    else:
        label = n_("At least {n} interview", "At least {n} interviews", target)
    return _at_least(label, count, target)


def _at_least(label: str, count: int, target: int) -> Result:
    """A count against its minimum: the label with the minimum in it, "count/target", and whether it is reached."""
    return label.format(n=target), f"{count}/{target}", count >= target


def _top_pain(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    _, n_ = gettext_for(lang), ngettext_for(lang)
    needed = TOP_PAIN_MIN if check.min is None else check.min
    name, count, total = facts.top_pain(check.min_severity)
    named = Decimal(count) / total if total else Decimal(0)
    label = n_(
        "A top pain named by at least {share} of at least {n} problem interview, with severity {severity}+",
        "A top pain named by at least {share} of at least {n} problem interviews, with severity {severity}+",
        needed,
    )
    label = label.format(share=percent(check.share), n=needed, severity=check.min_severity)
    progress = f"{percent(named)} ({count}/{total})"
    if name:
        progress = _("{counted}: “{pain}”").format(counted=progress, pain=shorten(name, PAIN_SHOWN))
    if total < needed:
        more = needed - total
        needs = n_("{n} more interview needed", "{n} more interviews needed", more).format(n=more)
        progress = f"{progress} · {needs}" if total else needs  # "0% (0/0)" says nothing
    return label, progress, total > 0 and total >= needed and named >= Decimal(str(check.share))


def _hypotheses(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    _ = gettext_for(lang)
    names = ", ".join(_(BLOCKS[block]) for block in check.blocks)
    live = {b: [s for s in facts.statuses_by_block.get(b, ()) if s != "pivoted"] for b in check.blocks}
    statuses = [status for block in check.blocks for status in live[block]]
    validated = sum(status == "validated" for status in statuses)
    label = _("{blocks} hypotheses validated").format(blocks=names)
    passed = bool(statuses) and validated == len(statuses) and all(live.values())
    progress = f"{validated}/{len(statuses)}"
    empty = [block for block in check.blocks if not live[block]]
    if empty:  # "0/0" says nothing: say which blocks have no hypothesis yet and how to add one
        code = next(code for code, block in BLOCK_ALIASES.items() if block == empty[0])
        if statuses:
            missing = _("no hypothesis yet in {blocks}: /hypothesis add {code} <statement>").format(
                blocks=", ".join(_(BLOCKS[block]) for block in empty), code=code
            )
            progress = f"{progress} · {missing}"
        else:  # the label already names the blocks
            progress = _("no hypothesis yet: /hypothesis add {code} <statement>").format(code=code)
    return label, progress, passed


def _paid(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    target = check.min or 0
    label = ngettext_for(lang)(
        "At least {n} paid order or paid pilot", "At least {n} paid orders or paid pilots", target
    )
    label, progress, passed = _at_least(label, facts.paid, target)
    if not passed:
        progress += " · " + gettext_for(lang)("log each payment: /funnel log paid 1")
    return label, progress, passed


def _funnel_conversion(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    _ = gettext_for(lang)
    shares = facts.conversions or (None,) * 4
    if check.share is None:
        label = _("Funnel conversion measured at every stage")
        passed = all(share is not None for share in shares)
    else:
        label = _("Funnel conversion of at least {share} at every stage").format(share=percent(check.share))
        passed = all(share is not None and share >= Decimal(str(check.share)) for share in shares)
    measured = sum(share is not None for share in shares)
    if not measured:
        return label, _("not measured yet: see /funnel"), False
    progress = " → ".join("?" if share is None else percent(share) for share in shares)
    if measured < len(shares):
        stages = ngettext_for(lang)("{n} of {total} stage: {shares}", "{n} of {total} stages: {shares}", len(shares))
        progress = stages.format(n=measured, total=len(shares), shares=progress)
    return label, progress, passed


def _funnel_logged(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    _ = gettext_for(lang)
    missing = [step for step in FUNNEL_LOGGED_STEPS if step not in facts.logged_steps]
    label = _("Funnel logged: people contacted and customers who paid")
    if not missing:
        return label, _("logged"), True
    commands = ", ".join(f"/funnel log {step} N" for step in missing)
    return label, _("not yet: {commands}").format(commands=commands), False


def _money(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    target = check.min or 0
    label = ngettext_for(lang)(
        "At least {n} money commitment (pre-order, deposit, paid pilot)",
        "At least {n} money commitments (pre-order, deposit, paid pilot)",
        target,
    )
    return _at_least(label, facts.money_commitments, target)


def _price_answers(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    target = check.min or 0
    label = ngettext_for(lang)(
        "At least {n} price answer with a Van Westendorp range",
        "At least {n} price answers with a Van Westendorp range",
        target,
    )
    return _at_least(label, facts.price_answers, target)


def _sean_ellis(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    needed, share = check.min_answers or 0, check.very_share or 0
    label = ngettext_for(lang)(
        "At least {share} “very disappointed” among at least {n} Sean Ellis answer",
        "At least {share} “very disappointed” among at least {n} Sean Ellis answers",
        needed,
    ).format(share=percent(share), n=needed)
    very = facts.very_share
    passed = facts.sean_ellis_n >= needed and very is not None and very >= Decimal(str(share))
    return label, f"{percent(very)} ({facts.sean_ellis_n}/{needed})", passed


def _any_of(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    _ = gettext_for(lang)
    parts = [_evaluate(inner, facts, lang, item_id) for inner in check.any or []]
    label = _("Any one of: {items}").format(items="; ".join(part[0] for part in parts))
    return label, "; ".join(part[1] for part in parts), any(part[2] for part in parts)


def _manual(check: Check, facts: GateFacts, lang: str, item_id: str) -> Result:
    _ = gettext_for(lang)
    if item_id in facts.ticked:
        return _(check.label or item_id), _("done"), True
    return _(check.label or item_id), _("not yet: tick it with /phase tick {id}").format(id=item_id), False


_CHECKS: dict[str, Callable[[Check, GateFacts, str, str], Result]] = {
    "interviews": _interviews,
    "top_pain": _top_pain,
    "hypotheses_validated": _hypotheses,
    "paid": _paid,
    "funnel_conversion": _funnel_conversion,
    "funnel_logged": _funnel_logged,
    "money_commitments": _money,
    "price_answers": _price_answers,
    "sean_ellis": _sean_ellis,
    "any_of": _any_of,
    "manual": _manual,
}


def interview_keys(script: str, in_target: bool, pained: bool) -> list[tuple[str | None, bool, bool]]:
    """Every key of GateFacts.interviews a completed interview counts under."""
    return [
        (each_script, each_target, each_pained)
        for each_script in (script, None)
        for each_target in ((False, True) if in_target else (False,))
        for each_pained in ((False, True) if pained else (False,))
    ]
