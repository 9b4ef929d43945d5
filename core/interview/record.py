"""Builds the structured interview record (jobs, pains, price, commitments, evidence) from answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from core.domain import (
    Commitment,
    EvidenceLink,
    Gain,
    InterviewRecord,
    Job,
    Pain,
    PriceAnswers,
    Stance,
    Strength,
)
from core.interview.answers import money_of
from core.interview.coach import FLAGS
from core.interview.jobs import job_sentence
from core.interview.walk import NEW_HYPOTHESIS, holds
from core.scripts.model import Script

_PRICE_FIELDS = ("spends_now", "too_cheap", "bargain", "getting_expensive", "too_expensive")
WEAK_FLAGS = frozenset(FLAGS)  # every coach flag: a kept opinion, compliment, generality or feature request


def extract_record(
    script: Script, answers: dict[str, Any], flags: dict[str, list[str]], lang: str = "en"
) -> InterviewRecord:
    """The structured record of an interview, following each question's `records` target (job sentences in `lang`)."""
    applicable = [q for q in script.questions if holds(q.when, answers)]  # an answer whose `when` no longer holds
    live = {q.id for q in applicable}  # (e.g. an amount after the commitment changed to a meeting) is left out
    by_target: dict[str, Any] = {q.records: answers.get(q.id) for q in applicable if q.records and q.id in answers}
    commitment_kind = by_target.get("commitment.kind")
    strength = _strength(commitment_kind, {key: found for key, found in flags.items() if key.split(".")[0] in live})
    quote = _text(by_target.get("quote"))
    return InterviewRecord(
        alias=_text(by_target.get("interviewee.alias")),
        segment=_text(by_target.get("interviewee.segment")),
        role=_text(by_target.get("interviewee.role")),
        met_via=_text(by_target.get("interviewee.met")),
        interview_date=date.fromisoformat(str(when)) if (when := by_target.get("interview.date")) else None,
        jobs=tuple(_job(item, lang) for item in _items(by_target.get("jobs"))),
        pains=tuple(_pain(item) for item in _items(by_target.get("pains")) if item.get("text")),
        gains=tuple(Gain(str(item["text"])) for item in _items(by_target.get("gains")) if item.get("text")),
        price=_price(by_target),
        commitments=_commitments(commitment_kind, by_target),
        evidence=tuple(_evidence(item, strength, quote) for item in _items(by_target.get("evidence"))),
        quote=quote,
        sean_ellis=_text(by_target.get("sean_ellis")),
    )


def _strength(commitment_kind: Any, flags: dict[str, list[str]]) -> Strength:
    """The Mom Test: a commitment is strong; a kept opinion or compliment makes evidence weak."""
    if commitment_kind in ("time", "reputation", "money"):
        return "strong"
    if any(WEAK_FLAGS & set(found) for found in flags.values()):
        return "weak"
    return "medium"


def _items(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _job(item: dict[str, Any], lang: str) -> Job:
    when, want, so_that = _text(item.get("when")), _text(item.get("want")), _text(item.get("so_that"))
    text = _text(item.get("text")) or job_sentence(when, want, so_that, lang)
    return Job(text=text, when=when, want=want, so_that=so_that, type=_text(item.get("type")))


def _pain(item: dict[str, Any]) -> Pain:
    severity = item.get("severity")
    return Pain(
        text=str(item["text"]),
        severity=int(severity) if isinstance(severity, int) else None,
        frequency=_text(item.get("frequency")),
    )


def _price(by_target: dict[str, Any]) -> PriceAnswers:
    amounts: dict[str, Decimal | None] = {}
    currency: str | None = None
    for name in _PRICE_FIELDS:
        money = money_of(by_target.get(f"price.{name}"))
        amounts[name] = money.amount if money else None
        if money and money.currency and currency is None:
            currency = money.currency
    return PriceAnswers(currency=currency, **amounts)


def _commitments(kind: Any, by_target: dict[str, Any]) -> tuple[Commitment, ...]:
    if kind not in ("time", "reputation", "money"):
        return ()
    money = money_of(by_target.get("commitment.amount"))
    return (
        Commitment(
            kind=cast(Any, kind),
            note=_text(by_target.get("commitment.note")),
            amount=money.amount if money else None,
            currency=money.currency if money else None,
        ),
    )


def _evidence(item: dict[str, Any], strength: Strength, quote: str | None) -> EvidenceLink:
    choice = str(item.get("hypothesis", ""))
    stance: Stance = "refutes" if item.get("stance") == "refutes" else "supports"
    if choice == NEW_HYPOTHESIS:
        return EvidenceLink(stance=stance, strength=strength, new_statement=_text(item.get("statement")), quote=quote)
    return EvidenceLink(stance=stance, strength=strength, hypothesis=choice.upper(), quote=quote)
