"""Activity over a team's completed interviews: commitments, interviews per founder and per week, and pace.

Only interviews with status "completed" count. An interview happens at its `completed_at`, or its `started_at`
when `completed_at` is missing; a naive datetime is read as UTC. Weeks are ISO weeks (Monday to Sunday) of the
local date in the team's timezone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal

from core.domain import InterviewSummary

COMMITMENT_KINDS = ("time", "reputation", "money")
RATE_WEEKS = 4
PACE_MINIMUM = 5
"""Interviews in the last RATE_WEEKS weeks before the pace estimates the weeks to the goal: one or two interviews
would extrapolate to hundreds of weeks."""


@dataclass(frozen=True)
class CommitmentSummary:
    """Commitments made in completed interviews, by kind, with the money committed per currency."""

    by_kind: dict[str, int]
    interviews_with_commitments: int
    money_commitments: int
    money_total: dict[str | None, Decimal]


@dataclass(frozen=True)
class Pace:
    """How fast the team interviews, as of `today` in the team's timezone (see `pace` for the definitions)."""

    this_week: int
    last_7_days: int
    last_28_days: int
    weekly_rate: Decimal
    weekly_target: int
    total: int
    goal_total: int
    remaining: int
    weeks_to_goal: int | None
    on_track: bool


def _completed(interviews: Iterable[InterviewSummary]) -> list[InterviewSummary]:
    return [interview for interview in interviews if interview.status == "completed"]


def happened_at(interview: InterviewSummary) -> datetime:
    """When the interview happened: completed_at, else started_at; a naive datetime is read as UTC."""
    moment = interview.completed_at or interview.started_at
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def local_date(interview: InterviewSummary, tz: tzinfo) -> date:
    """The date the interview happened on in the team's timezone."""
    return happened_at(interview).astimezone(tz).date()


def _currency(code: str | None) -> str | None:
    if code is None:
        return None
    cleaned = code.strip().upper()
    return cleaned or None


def commitments_summary(interviews: Sequence[InterviewSummary]) -> CommitmentSummary:
    """Count commitments by kind and sum money commitments per currency (upper-cased; blank or unknown is None).

    `by_kind` always holds "time", "reputation" and "money". A money commitment without an amount counts in
    `money_commitments` but adds nothing to `money_total`; amounts of time or reputation commitments are ignored.
    `money_total` lists named currencies alphabetically, then None; currencies are never converted or mixed.
    """
    rows: list[tuple[str, str | None, Decimal | None, int]] = []
    with_any = 0
    for interview in _completed(interviews):
        commitments = interview.record.commitments
        with_any += 1 if commitments else 0
        rows += [(c.kind, c.currency, c.amount, 1) for c in commitments]
    return counted_commitments(rows, with_any)


def counted_commitments(
    rows: Iterable[tuple[str, str | None, Decimal | None, int]], interviews_with_commitments: int
) -> CommitmentSummary:
    """`commitments_summary` from commitments already counted: (kind, currency, amount, how many)."""
    by_kind = dict.fromkeys(COMMITMENT_KINDS, 0)
    totals: dict[str | None, Decimal] = {}
    with_any = interviews_with_commitments
    for kind, code, amount, count in rows:
        by_kind[kind] = by_kind.get(kind, 0) + count
        if kind == "money" and amount is not None:
            currency = _currency(code)
            totals[currency] = totals.get(currency, Decimal(0)) + amount * count
    ordered: dict[str | None, Decimal] = {
        code: totals[code] for code in sorted(code for code in totals if code is not None)
    }
    if None in totals:
        ordered[None] = totals[None]
    return CommitmentSummary(by_kind, with_any, by_kind["money"], ordered)


def interviews_per_founder(interviews: Sequence[InterviewSummary]) -> dict[str, int]:
    """Completed interviews per founder name, most first, ties by name."""
    counts: dict[str, int] = {}
    for interview in _completed(interviews):
        counts[interview.founder] = counts.get(interview.founder, 0) + 1
    return dict(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def interviews_per_week(interviews: Sequence[InterviewSummary], tz: tzinfo) -> list[tuple[int, int, int]]:
    """(ISO year, ISO week, completed interviews) from the first to the last active week, empty weeks included."""
    mondays: dict[date, int] = {}
    for interview in _completed(interviews):
        monday = _monday(local_date(interview, tz))
        mondays[monday] = mondays.get(monday, 0) + 1
    return counted_weeks(mondays)


def monday_of(day: date) -> date:
    """The Monday that starts the ISO week of `day`."""
    return _monday(day)


def counted_weeks(mondays: Mapping[date, int]) -> list[tuple[int, int, int]]:
    """`interviews_per_week` from interviews already counted by the Monday of their week."""
    if not mondays:
        return []
    weeks: list[tuple[int, int, int]] = []
    monday, last = min(mondays), max(mondays)
    while monday <= last:
        iso = monday.isocalendar()
        weeks.append((iso.year, iso.week, mondays.get(monday, 0)))
        monday += timedelta(days=7)
    return weeks


def pace(interviews: Sequence[InterviewSummary], weekly_target: int, goal_total: int, today: date, tz: tzinfo) -> Pace:
    """The team's interview pace as of `today` (a date in `tz`); interviews dated after `today` are ignored.

    - this_week: completed interviews dated Monday of today's ISO week .. today.
    - last_7_days: dated today - 6 days .. today (7 calendar days, today included).
    - last_28_days: dated today - 27 days .. today; weekly_rate = last_28_days / 4, exact (a multiple of 0.25).
    - total: all completed interviews dated up to today; remaining = max(goal_total - total, 0).
    - weeks_to_goal: 0 when remaining is 0; else None when fewer than PACE_MINIMUM interviews are in the last 28
      days (too few to extrapolate); else ceil(remaining / weekly_rate).
    - on_track: weekly_rate >= weekly_target.
    """
    if weekly_target < 0 or goal_total < 0:
        raise ValueError("weekly_target and goal_total must be >= 0")
    dates = [day for day in (local_date(interview, tz) for interview in _completed(interviews)) if day <= today]
    monday = _monday(today)
    this_week = sum(1 for day in dates if day >= monday)
    last_7_days = sum(1 for day in dates if day > today - timedelta(days=7))
    last_28_days = sum(1 for day in dates if day > today - timedelta(days=7 * RATE_WEEKS))
    return counted_pace(this_week, last_7_days, last_28_days, len(dates), weekly_target, goal_total)


def pace_windows(today: date) -> tuple[date, date, date, date]:
    """The first days of `pace`'s windows: this ISO week, the last 7 days, the last 28 days; then tomorrow."""
    return _monday(today), today - timedelta(days=6), today - timedelta(days=7 * RATE_WEEKS - 1), today + timedelta(1)


def counted_pace(
    this_week: int, last_7_days: int, last_28_days: int, total: int, weekly_target: int, goal_total: int
) -> Pace:
    """`pace` from the interviews already counted in its windows (see `pace_windows`)."""
    if weekly_target < 0 or goal_total < 0:
        raise ValueError("weekly_target and goal_total must be >= 0")
    remaining = max(goal_total - total, 0)
    if remaining == 0:
        weeks_to_goal: int | None = 0
    elif last_28_days < PACE_MINIMUM:
        weeks_to_goal = None
    else:
        weeks_to_goal = -(-remaining * RATE_WEEKS // last_28_days)
    weekly_rate = Decimal(last_28_days) / Decimal(RATE_WEEKS)
    return Pace(
        this_week=this_week,
        last_7_days=last_7_days,
        last_28_days=last_28_days,
        weekly_rate=weekly_rate,
        weekly_target=weekly_target,
        total=total,
        goal_total=goal_total,
        remaining=remaining,
        weeks_to_goal=weeks_to_goal,
        on_track=weekly_rate >= weekly_target,
    )
