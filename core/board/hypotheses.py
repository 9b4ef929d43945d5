"""Hypotheses on the Business Model Canvas: statuses, history, evidence tallies and suggested statuses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from difflib import get_close_matches
from functools import cache
from typing import Literal

from core.domain import Stance, Strength
from core.i18n import LANGUAGES, N_, gettext_for

BLOCKS: dict[str, str] = {
    "customer_segments": N_("Customer segments"),
    "value_propositions": N_("Value propositions"),
    "channels": N_("Channels"),
    "customer_relationships": N_("Customer relationships"),
    "revenue_streams": N_("Revenue streams"),
    "key_resources": N_("Key resources"),
    "key_activities": N_("Key activities"),
    "key_partners": N_("Key partners"),
    "cost_structure": N_("Cost structure"),
}
"""The nine blocks of the Business Model Canvas, in canvas order, with their display names."""

BLOCK_ALIASES = {
    "cs": "customer_segments",
    "segments": "customer_segments",
    "segment": "customer_segments",
    "customers": "customer_segments",
    "vp": "value_propositions",
    "value": "value_propositions",
    "problem": "value_propositions",
    "ch": "channels",
    "channel": "channels",
    "cr": "customer_relationships",
    "relationships": "customer_relationships",
    "rs": "revenue_streams",
    "revenue": "revenue_streams",
    "pricing": "revenue_streams",
    "kr": "key_resources",
    "resources": "key_resources",
    "ka": "key_activities",
    "activities": "key_activities",
    "kp": "key_partners",
    "partners": "key_partners",
    "cost": "cost_structure",
    "costs": "cost_structure",
    "сегменты": "customer_segments",
    "сегмент": "customer_segments",
    "клиенты": "customer_segments",
    "ценность": "value_propositions",
    "ценности": "value_propositions",
    "каналы": "channels",
    "канал": "channels",
    "отношения": "customer_relationships",
    "доходы": "revenue_streams",
    "доход": "revenue_streams",
    "выручка": "revenue_streams",
    "ресурсы": "key_resources",
    "деятельность": "key_activities",
    "партнёры": "key_partners",
    "партнеры": "key_partners",
    "издержки": "cost_structure",
    "расходы": "cost_structure",
    "затраты": "cost_structure",
}
SHORT_BLOCKS = {block: next(alias for alias, of in BLOCK_ALIASES.items() if of == block) for block in BLOCKS}
"""The shortest way to type each block (cs, vp, ch... cost), as the block list shows it."""

Status = Literal["untested", "testing", "validated", "invalidated", "pivoted"]
STATUSES: dict[str, str] = {
    "untested": N_("untested"),
    "testing": N_("testing"),
    "validated": N_("validated"),
    "invalidated": N_("invalidated"),
    "pivoted": N_("pivoted"),
}
SETTABLE = ("untested", "testing", "validated", "invalidated")
"""Statuses a team can set directly; "pivoted" only comes from a pivot."""

EventKind = Literal["created", "status", "pivoted"]
STRENGTH_WEIGHT: dict[str, int] = {"weak": 1, "medium": 2, "strong": 3}
SUGGEST_MIN_PIECES = 5
SUGGEST_RATIO = 3


def _key(text: str) -> str:
    return text.strip().casefold().replace(" ", "_").replace("-", "_")


@cache
def _named_blocks() -> dict[str, str]:
    """Every block's display name in every language, as a key, to its id ("сегменты_клиентов" -> customer_segments)."""
    return {_key(gettext_for(lang)(name)): block for lang in LANGUAGES for block, name in BLOCKS.items()}


def block_of(text: str) -> str | None:
    """A canvas block from its id, a short alias (vp, cs, rs...; Russian ones too) or its name in any language."""
    key = _key(text)
    if key in BLOCKS:
        return key
    return BLOCK_ALIASES.get(key) or _named_blocks().get(key)


_PLURAL_ENDINGS = ("s", "ы", "и")


def near_block(text: str) -> bool:
    """True when a word looks meant as a block but is none ("revenu", "value_prop:"): a typo, not the statement.

    A word that only extends a block's name ("costly", "problems") or is its singular ("customer", "клиент")
    is taken as the statement's first word.
    """
    key = _key(text)
    if text.endswith(":") or "_" in key:
        return True
    close = get_close_matches(key, [*BLOCKS, *BLOCK_ALIASES], n=1, cutoff=0.8)
    if not close:
        return False
    name = close[0]
    return not (key.startswith(name) or (name.startswith(key) and name[len(key) :] in _PLURAL_ENDINGS))


def block_choices(lang: str) -> str:
    """The blocks as a founder types and reads them: "cs (Customer segments), vp (Value propositions), ..."."""
    _ = gettext_for(lang)
    return ", ".join(f"{SHORT_BLOCKS[block]} ({_(name)})" for block, name in BLOCKS.items())


@dataclass(frozen=True)
class HypothesisEvent:
    """One change in a hypothesis's life, kept forever."""

    at: datetime
    kind: EventKind
    by: str
    status: str
    reason: str | None = None
    successor: str | None = None


@dataclass(frozen=True)
class EvidenceItem:
    """One interview's bearing on a hypothesis."""

    hypothesis: str
    interview_id: str
    interviewee: str | None
    stance: Stance
    strength: Strength
    quote: str | None
    at: datetime


@dataclass(frozen=True)
class Hypothesis:
    """A hypothesis with its history and evidence."""

    code: str
    statement: str
    status: str = "untested"
    block: str | None = None
    criterion: str | None = None
    predecessor: str | None = None
    successor: str | None = None
    history: tuple[HypothesisEvent, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()


@dataclass(frozen=True)
class Tally:
    """Evidence counted by stance and strength."""

    supports: dict[str, int] = field(default_factory=dict)
    refutes: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """All pieces of evidence."""
        return sum(self.supports.values()) + sum(self.refutes.values())

    def weight(self, stance: Stance) -> int:
        """Evidence weighted by strength: weak 1, medium 2, strong 3."""
        counts = self.supports if stance == "supports" else self.refutes
        return sum(STRENGTH_WEIGHT[strength] * count for strength, count in counts.items())

    def solid(self, stance: Stance) -> int:
        """Pieces of medium or strong evidence for a stance (opinions do not count)."""
        counts = self.supports if stance == "supports" else self.refutes
        return counts.get("medium", 0) + counts.get("strong", 0)


def tally(evidence: Sequence[EvidenceItem]) -> Tally:
    """Count evidence by stance and strength."""
    supports: dict[str, int] = {}
    refutes: dict[str, int] = {}
    for item in evidence:
        counts = supports if item.stance == "supports" else refutes
        counts[item.strength] = counts.get(item.strength, 0) + 1
    return Tally(supports, refutes)


def suggested_status(hypothesis: Hypothesis) -> str | None:
    """What the evidence suggests, when it clearly does; the team decides, nothing changes by itself.

    Validated: at least 5 pieces of medium or strong supporting evidence, and supporting weight at least
    three times the refuting weight. Invalidated: the same the other way round. Testing: some evidence
    on an untested hypothesis. Otherwise no suggestion.
    """
    return suggest(hypothesis.status, tally(hypothesis.evidence))


def suggest(status: str, counted: Tally) -> str | None:
    """`suggested_status` from a hypothesis's status and its evidence already counted."""
    if status == "pivoted":
        return None
    verdicts: tuple[tuple[Stance, Stance, str], ...] = (
        ("supports", "refutes", "validated"),
        ("refutes", "supports", "invalidated"),
    )
    for stance, other, verdict in verdicts:
        clear = counted.weight(stance) >= SUGGEST_RATIO * counted.weight(other)
        if counted.solid(stance) >= SUGGEST_MIN_PIECES and clear:
            return verdict if status != verdict else None
    if status == "untested" and counted.total:
        return "testing"
    return None
