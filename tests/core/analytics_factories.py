"""A small factory of InterviewSummary fixtures for the analytics tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Literal

from core.domain import Commitment, Gain, InterviewRecord, InterviewStatus, InterviewSummary, Job, Pain

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, ISO week 2026-W10


def interview(
    id: str,
    *,
    pains: Iterable[str | tuple[str, int | None]] = (),
    jobs: Iterable[str] = (),
    gains: Iterable[str] = (),
    commitments: Iterable[Commitment] = (),
    status: InterviewStatus = "completed",
    founder: str = "ann",
    script: str = "discovery",
    segment: str | None = None,
    started_at: datetime | None = None,
    completed_at: datetime | None = None,
    day: int = 0,
) -> InterviewSummary:
    """An interview; pains are "text" or ("text", severity); times default to BASE + `day` days (+1 hour done)."""
    start = started_at if started_at is not None else BASE + timedelta(days=day)
    if completed_at is None and started_at is None and status == "completed":
        completed_at = start + timedelta(hours=1)
    pain_items = tuple(Pain(p) if isinstance(p, str) else Pain(p[0], p[1]) for p in pains)
    record = InterviewRecord(
        segment=segment,
        pains=pain_items,
        jobs=tuple(Job(text) for text in jobs),
        gains=tuple(Gain(text) for text in gains),
        commitments=tuple(commitments),
    )
    return InterviewSummary(
        id=id,
        team="acme",
        founder=founder,
        script=script,
        status=status,
        started_at=start,
        completed_at=completed_at,
        answers={},
        record=record,
    )


def money(amount: str | None, currency: str | None = "USD") -> Commitment:
    """A money commitment of an exact amount."""
    return Commitment("money", amount=None if amount is None else Decimal(amount), currency=currency)


def other(kind: Literal["time", "reputation"]) -> Commitment:
    """A time or reputation commitment."""
    return Commitment(kind)
