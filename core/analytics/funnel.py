"""The Customer Validation sales funnel per segment: contacted → interviewed → shown → committed → paid.

- contacted, paid: the sums of the team's `FunnelLog` counts for that step (logs add up; `at` is kept for the
  record and does not filter).
- interviewed: completed interviews.
- shown: completed interviews run with the "validation" script (the interviewee saw the offer).
- committed: of those shown the offer, the ones with at least one commitment of any kind.

Segments are grouped by `normalize_item` (and optional `segment_merges`, as for items); a missing or blank
segment is the key NO_SEGMENT, "(no segment)" (a segment typed as "(no segment)" lands there too). Interviewed,
shown and committed nest; the logged steps need not (interviews with no logged contact, customers who paid
without an interview), and a step larger than the one before it has no conversion (None): never above 100%.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal, NamedTuple

from core.analytics.items import display_text, merge_target, normalize_item, round_ratio
from core.domain import InterviewSummary

FunnelStep = Literal["contacted", "paid"]
NO_SEGMENT = "(no segment)"
TOTAL = "(total)"
VALIDATION_SCRIPT = "validation"


@dataclass(frozen=True)
class FunnelLog:
    """A count the team logged for a step outside interviews: people contacted, or customers who paid."""

    step: FunnelStep
    count: int
    segment: str | None
    at: datetime

    def __post_init__(self) -> None:
        if self.step not in ("contacted", "paid"):
            raise ValueError(f"unknown funnel step {self.step!r}")
        if self.count < 0:
            raise ValueError("a funnel count cannot be negative")


class Conversion(NamedTuple):
    """From one step to the next: numerator / denominator, rounded half-up to 3 places; None when nobody was at
    the step before, or when more reached this step than that one (the earlier step is not fully logged)."""

    numerator: int
    denominator: int
    share: Decimal | None


@dataclass(frozen=True)
class FunnelRow:
    """One segment's funnel (or the total row, is_total=True, segment TOTAL) with the four conversions."""

    segment: str
    label: str
    is_total: bool
    contacted: int
    interviewed: int
    shown: int
    committed: int
    paid: int

    @property
    def contacted_to_interviewed(self) -> Conversion:
        """Interviewed out of contacted."""
        return conversion(self.interviewed, self.contacted)

    @property
    def interviewed_to_shown(self) -> Conversion:
        """Shown the offer out of interviewed."""
        return conversion(self.shown, self.interviewed)

    @property
    def shown_to_committed(self) -> Conversion:
        """Committed out of shown the offer."""
        return conversion(self.committed, self.shown)

    @property
    def committed_to_paid(self) -> Conversion:
        """Paid out of committed."""
        return conversion(self.paid, self.committed)

    @property
    def conversions(self) -> tuple[Conversion, Conversion, Conversion, Conversion]:
        """The four conversions between adjacent steps, in funnel order."""
        return (
            self.contacted_to_interviewed,
            self.interviewed_to_shown,
            self.shown_to_committed,
            self.committed_to_paid,
        )


def conversion(numerator: int, denominator: int) -> Conversion:
    """numerator / denominator rounded half-up to 3 places; a share of None when the denominator is 0 or smaller
    than the numerator (a share above 100% measures nothing)."""
    share = round_ratio(numerator, denominator, 3) if denominator > 0 and numerator <= denominator else None
    return Conversion(numerator, denominator, share)


class _Counts:
    def __init__(self) -> None:
        self.steps = dict.fromkeys(("contacted", "interviewed", "shown", "committed", "paid"), 0)
        self.wordings: dict[str, int] = {}

    def add(self, step: str, count: int, wording: str | None, mentions: int = 1) -> None:
        self.steps[step] += count
        if wording:
            self.wordings[wording] = self.wordings.get(wording, 0) + mentions

    def label(self, key: str) -> str:
        if not self.wordings:
            return key
        best = max(self.wordings.values())
        return next(wording for wording, count in self.wordings.items() if count == best)


def segment_key(segment: str | None, segment_merges: Mapping[str, str] | None = None) -> str:
    """The funnel key of a segment: normalized and merged, or NO_SEGMENT when missing or blank."""
    key = normalize_item(segment) if segment is not None else ""
    if not key:
        return NO_SEGMENT
    return merge_target(key, segment_merges or {})


@dataclass(frozen=True)
class SegmentTally:
    """Completed interviews with one exact segment wording: how many, shown the offer, and of those with a
    commitment."""

    segment: str | None
    interviewed: int
    shown: int
    committed: int


def _events(
    interviews: Iterable[InterviewSummary], logged: Iterable[FunnelLog]
) -> Iterable[tuple[str | None, str, int, int]]:
    for interview in interviews:
        if interview.status != "completed":
            continue
        segment = interview.record.segment
        yield segment, "interviewed", 1, 1
        if interview.script == VALIDATION_SCRIPT:
            yield segment, "shown", 1, 1
            if interview.record.commitments:
                yield segment, "committed", 1, 1
    yield from _logged(logged)


def _logged(logged: Iterable[FunnelLog]) -> Iterable[tuple[str | None, str, int, int]]:
    for log in logged:
        yield log.segment, log.step, log.count, 1


def _counted_events(
    tallies: Iterable[SegmentTally], logged: Iterable[FunnelLog]
) -> Iterable[tuple[str | None, str, int, int]]:
    for tally in tallies:
        yield tally.segment, "interviewed", tally.interviewed, tally.interviewed
        yield tally.segment, "shown", tally.shown, tally.shown
        yield tally.segment, "committed", tally.committed, tally.committed
    yield from _logged(logged)


def counted_funnel(
    tallies: Sequence[SegmentTally], logged: Sequence[FunnelLog], segment_merges: Mapping[str, str] | None = None
) -> list[FunnelRow]:
    """`sales_funnel` from interviews already counted per exact segment, given in the order of their first interview."""
    return _funnel(_counted_events(tallies, logged), segment_merges)


def sales_funnel(
    interviews: Sequence[InterviewSummary],
    logged: Sequence[FunnelLog],
    segment_merges: Mapping[str, str] | None = None,
) -> list[FunnelRow]:
    """One FunnelRow per segment (named segments by key, then NO_SEGMENT), then the total row (always there).

    A row's label is the segment's most frequent wording, counted once per interview or log (whitespace
    collapsed; ties go to the first seen, interviews before logs, in the order given); NO_SEGMENT's label is
    "(no segment)", the total's "(total)".
    """
    return _funnel(_events(interviews, logged), segment_merges)


def _funnel(
    events: Iterable[tuple[str | None, str, int, int]], segment_merges: Mapping[str, str] | None
) -> list[FunnelRow]:
    by_segment: dict[str, _Counts] = {}
    total = _Counts()
    for segment, step, count, mentions in events:
        key = segment_key(segment, segment_merges)
        wording = display_text(segment) if segment is not None and key != NO_SEGMENT else None
        by_segment.setdefault(key, _Counts()).add(step, count, wording, mentions)
        total.add(step, count, None)
    keys = sorted(by_segment, key=lambda key: (key == NO_SEGMENT, key))
    rows = [_row(key, by_segment[key].label(key), False, by_segment[key]) for key in keys]
    rows.append(_row(TOTAL, TOTAL, True, total))
    return rows


def _row(key: str, label: str, is_total: bool, counts: _Counts) -> FunnelRow:
    steps = counts.steps
    return FunnelRow(
        segment=key,
        label=label,
        is_total=is_total,
        contacted=steps["contacted"],
        interviewed=steps["interviewed"],
        shown=steps["shown"],
        committed=steps["committed"],
        paid=steps["paid"],
    )
