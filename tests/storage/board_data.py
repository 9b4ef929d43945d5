"""A varied team for the board tests: wordings that normalize together, merges, prices, money, evidence, weeks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from core.domain import (
    Commitment,
    EvidenceLink,
    Gain,
    InterviewRecord,
    InterviewStatus,
    InterviewSummary,
    Job,
    Pain,
    PriceAnswers,
)
from core.transfer.importer import ImportBatch

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SEGMENTS = ["Dental clinics", "dental  Clinics.", "Agencies", "agencies", "Freelancers", None, ""]
PAINS = ["Late invoices", "late invoices.", "LATE  invoices", "Slow payments", "Manual reporting", "no-shows"]
PAINS += ["Re-booking by hand", "Café closes early", "Cafe\u0301 closes early", "Tax forms"]
JOBS = ["Get paid on time", "get paid on time!", "Fill the diary", "Report to the boss"]
GAINS = ["Fewer emails", "fewer  emails", "More free evenings", "Happy patients"]
SCRIPTS = ["discovery", "discovery", "validation", "quick"]
STATUSES: list[InterviewStatus] = ["completed"] * 8 + ["in_progress", "cancelled"]
CURRENCIES = ["EUR", "eur", "USD", None, "", " us"]
PRICES = [Decimal(v) for v in ("5", "10", "12.5", "20", "25", "40", "50", "60", "80", "100")]
AMOUNTS = [Decimal(v) for v in ("500", "12.5", "0.5", "1000", "99.99")]
CODES = ["H1", "H2", "H3", "H4", "H9"]


def interviews(team: str, count: int, seed: int = 7, founders: tuple[str, ...] = ("Ann", "Bob", "Chen")) -> ImportBatch:
    """`count` interviews of one team over the ten weeks before NOW, some of them in the same second."""
    rng = random.Random(seed)
    batch = ImportBatch()
    for n in range(count):
        started = NOW - timedelta(minutes=rng.randrange(0, 70 * 24 * 60, 15))
        if n % 17 == 0 and n:
            started = batch.interviews[-1].started_at  # same moment: the order falls back to the id
        status = rng.choice(STATUSES)
        done = status == "completed"
        completed = started + timedelta(minutes=rng.choice([0, 30, 90, 600])) if done and n % 11 else None
        batch.interviews.append(
            InterviewSummary(
                id=f"{team}-{rng.randrange(10**6):06d}-{n}",
                team=team,
                founder=rng.choice(founders),
                script=rng.choice(SCRIPTS),
                status=status,
                started_at=started,
                completed_at=completed,
                answers={},
                record=_record(rng, n) if done else InterviewRecord(alias=f"Lead {n}"),
            )
        )
    return batch


def _record(rng: random.Random, n: int) -> InterviewRecord:
    pains = tuple(Pain(rng.choice(PAINS), rng.choice([None, 1, 2, 3, 4, 4, 5, 5])) for _ in range(rng.randrange(0, 4)))
    if rng.random() < 0.2:  # a long tail of rarer pains, so the top ten is cut among ties
        pains += (Pain(f"Rare pain {rng.randrange(25)}", rng.choice([None, 2, 3, 4])),)
    price = PriceAnswers()
    if rng.random() < 0.6:
        cheap, bargain, expensive, too = sorted(rng.sample(PRICES, 4))
        if rng.random() < 0.1:
            cheap, bargain = bargain, cheap  # not increasing: dropped
        price = PriceAnswers(rng.choice([None, Decimal(30)]), cheap, bargain, expensive, too, rng.choice(CURRENCIES))
    money = [*AMOUNTS, None]
    commitments = tuple(
        Commitment(kind, amount=rng.choice(money) if kind == "money" else None, currency=rng.choice(CURRENCIES))
        for kind in rng.sample(["time", "reputation", "money", "money"], rng.randrange(0, 3))
    )
    evidence = tuple(
        EvidenceLink(
            rng.choice(["supports", "supports", "refutes"]),
            rng.choice(["weak", "medium", "strong"]),
            hypothesis=code,
            quote=f"quote {n}",
        )
        for code in rng.sample(CODES, rng.randrange(0, 3))
    )
    return InterviewRecord(
        alias=f"Person {n}",
        segment=rng.choice(SEGMENTS),
        jobs=tuple(Job(rng.choice(JOBS)) for _ in range(rng.randrange(0, 3))),
        pains=pains,
        gains=tuple(Gain(rng.choice(GAINS)) for _ in range(rng.randrange(0, 3))),
        price=price,
        commitments=commitments,
        evidence=evidence,
        sean_ellis=rng.choice([None, "very", "somewhat", "not", "very"]),
    )
