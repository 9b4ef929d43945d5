"""Domain values shared by the engine, the records it produces and the storage port."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

Stance = Literal["supports", "refutes"]
Strength = Literal["weak", "medium", "strong"]
InterviewStatus = Literal["in_progress", "paused", "completed", "cancelled"]


@dataclass(frozen=True)
class HypothesisRef:
    """A team hypothesis as the interview sees it."""

    code: str
    statement: str
    status: str = "untested"


@dataclass(frozen=True)
class Job:
    """A job to be done: when <situation>, they want to <motivation>, so that <outcome>; functional, social or
    emotional (`type`)."""

    text: str
    when: str | None = None
    want: str | None = None
    so_that: str | None = None
    type: str | None = None


@dataclass(frozen=True)
class Pain:
    """A pain with its severity (1-5) and frequency."""

    text: str
    severity: int | None = None
    frequency: str | None = None


@dataclass(frozen=True)
class Gain:
    """A gain the interviewee hopes for."""

    text: str


@dataclass(frozen=True)
class MoneyAmount:
    """An exact amount of money; the currency may be unknown."""

    amount: Decimal
    currency: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class PriceAnswers:
    """What they spend now and the four Van Westendorp answers, in one currency."""

    spends_now: Decimal | None = None
    too_cheap: Decimal | None = None
    bargain: Decimal | None = None
    getting_expensive: Decimal | None = None
    too_expensive: Decimal | None = None
    currency: str | None = None

    def is_empty(self) -> bool:
        """True when no price question was answered."""
        return all(
            value is None
            for value in (self.spends_now, self.too_cheap, self.bargain, self.getting_expensive, self.too_expensive)
        )


@dataclass(frozen=True)
class Commitment:
    """A commitment of time, reputation or money."""

    kind: Literal["time", "reputation", "money"]
    note: str | None = None
    amount: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class EvidenceLink:
    """How an interview bears on a hypothesis; new hypotheses are named by their statement."""

    stance: Stance
    strength: Strength
    hypothesis: str | None = None
    new_statement: str | None = None
    quote: str | None = None


@dataclass(frozen=True)
class InterviewRecord:
    """The structured result of a completed interview."""

    alias: str | None = None
    segment: str | None = None
    role: str | None = None
    met_via: str | None = None
    interview_date: date | None = None
    jobs: tuple[Job, ...] = ()
    pains: tuple[Pain, ...] = ()
    gains: tuple[Gain, ...] = ()
    price: PriceAnswers = field(default_factory=PriceAnswers)
    commitments: tuple[Commitment, ...] = ()
    evidence: tuple[EvidenceLink, ...] = ()
    quote: str | None = None
    sean_ellis: str | None = None


@dataclass(frozen=True)
class InterviewSummary:
    """An interview as read back from storage, for export and listings."""

    id: str
    team: str
    founder: str
    script: str
    status: InterviewStatus
    started_at: datetime
    completed_at: datetime | None
    answers: dict[str, Any]
    record: InterviewRecord
    lang: str = "en"
    flags: dict[str, list[str]] = field(default_factory=dict)
    """Coach flags per answered question."""
    account: tuple[str, str] | None = None
    """The founder's platform and user key, so a backup restores who ran it."""
