"""Commitments, interviews per founder and per ISO week, and the team's pace."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.analytics.activity import (
    PACE_MINIMUM,
    CommitmentSummary,
    Pace,
    commitments_summary,
    happened_at,
    interviews_per_founder,
    interviews_per_week,
    local_date,
    pace,
)
from core.domain import Commitment, InterviewSummary
from tests.core.analytics_factories import interview, money, other

PLUS_2 = timezone(timedelta(hours=2))
MINUS_5 = timezone(timedelta(hours=-5))
NO_COMMITMENTS = CommitmentSummary({"time": 0, "reputation": 0, "money": 0}, 0, 0, {})


def done_at(id: str, when: datetime) -> InterviewSummary:
    """A completed interview finished at `when` (started an hour earlier)."""
    return interview(id, started_at=when - timedelta(hours=1), completed_at=when)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def test_commitments_of_no_interviews() -> None:
    assert commitments_summary([]) == NO_COMMITMENTS
    assert commitments_summary([interview("i1")]) == NO_COMMITMENTS


def test_commitments_by_kind_and_money_per_currency_kept_apart() -> None:
    i1 = interview("i1", commitments=[money("100.50", "USD"), money("20", "usd "), other("time")])
    i2 = interview(
        "i2",
        commitments=[
            money("300", "EUR"),
            money(None, "EUR"),
            other("reputation"),
            money("5", None),
            money("2.5", "  "),
            Commitment("time", amount=Decimal("50"), currency="USD"),
        ],
    )
    i3 = interview("i3")
    cancelled = interview("c1", status="cancelled", commitments=[money("1000", "USD"), other("time")])
    summary = commitments_summary([i1, i2, i3, cancelled])
    assert summary == CommitmentSummary(
        by_kind={"time": 2, "reputation": 1, "money": 6},
        interviews_with_commitments=2,
        money_commitments=6,
        money_total={"EUR": Decimal("300"), "USD": Decimal("120.50"), None: Decimal("7.5")},
    )
    assert list(summary.money_total) == ["EUR", "USD", None]


def test_money_totals_are_exact_decimals() -> None:
    one = interview("i1", commitments=[money("0.1"), money("0.2")])
    assert commitments_summary([one]).money_total == {"USD": Decimal("0.3")}


def test_interviews_per_founder_counts_completed_only_most_first() -> None:
    team = [
        interview("i1", founder="cy"),
        interview("i2", founder="bob"),
        interview("i3", founder="ann"),
        interview("i4", founder="bob"),
        interview("i5", founder="ann"),
        interview("i6", founder="cy", status="cancelled"),
        interview("i7", founder="dee", status="paused"),
    ]
    per_founder = interviews_per_founder(team)
    assert per_founder == {"ann": 2, "bob": 2, "cy": 1}
    assert list(per_founder) == ["ann", "bob", "cy"]
    assert interviews_per_founder([]) == {}


def test_happened_at_falls_back_to_started_at_and_reads_naive_as_utc() -> None:
    finished = done_at("i1", datetime(2026, 3, 8, 23, 30, tzinfo=UTC))
    assert happened_at(finished) == datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    unfinished = interview("i2", started_at=datetime(2026, 3, 8, 23, 30))
    assert unfinished.completed_at is None
    assert happened_at(unfinished) == datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    assert local_date(unfinished, PLUS_2) == date(2026, 3, 9)


def test_interviews_per_week_of_nothing_and_of_one() -> None:
    assert interviews_per_week([], UTC) == []
    assert interviews_per_week([interview("i1", status="cancelled")], UTC) == []
    assert interviews_per_week([interview("i1")], UTC) == [(2026, 10, 1)]


def test_interviews_per_week_includes_empty_weeks_in_between() -> None:
    team = [
        interview("i1", day=0),
        interview("i2", day=6),
        interview("i3", day=15),
        interview("c", day=8, status="cancelled"),
    ]
    assert interviews_per_week(team, UTC) == [(2026, 10, 2), (2026, 11, 0), (2026, 12, 1)]


def test_interviews_per_week_across_iso_week_53_and_the_new_year() -> None:
    team = [
        done_at("i1", noon(date(2026, 12, 24))),
        done_at("i2", noon(date(2027, 1, 1))),
        done_at("i3", noon(date(2027, 1, 3))),
        done_at("i4", noon(date(2027, 1, 5))),
        done_at("i5", noon(date(2027, 1, 19))),
    ]
    assert interviews_per_week(team, UTC) == [(2026, 52, 1), (2026, 53, 2), (2027, 1, 1), (2027, 2, 0), (2027, 3, 1)]


def test_interviews_per_week_when_week_one_starts_in_december() -> None:
    team = [done_at("i1", noon(date(2025, 12, 28))), done_at("i2", noon(date(2025, 12, 29)))]
    assert interviews_per_week(team, UTC) == [(2025, 52, 1), (2026, 1, 1)]


def test_timezone_moves_an_interview_across_midnight_into_another_week() -> None:
    late_sunday_utc = done_at("i1", datetime(2026, 3, 8, 23, 30, tzinfo=UTC))
    early_monday_utc = done_at("i2", datetime(2026, 3, 9, 3, 0, tzinfo=UTC))
    assert interviews_per_week([late_sunday_utc, early_monday_utc], UTC) == [(2026, 10, 1), (2026, 11, 1)]
    assert interviews_per_week([late_sunday_utc, early_monday_utc], PLUS_2) == [(2026, 11, 2)]
    assert interviews_per_week([late_sunday_utc, early_monday_utc], MINUS_5) == [(2026, 10, 2)]


def test_interviews_per_week_uses_started_at_when_completed_at_is_missing() -> None:
    team = [interview("i1", started_at=datetime(2026, 3, 1, 23, 0, tzinfo=UTC))]
    assert interviews_per_week(team, UTC) == [(2026, 9, 1)]
    assert interviews_per_week(team, PLUS_2) == [(2026, 10, 1)]


def team_for_pace() -> list[InterviewSummary]:
    days = [
        date(2026, 3, 11),
        date(2026, 3, 9),
        date(2026, 3, 8),
        date(2026, 3, 5),
        date(2026, 3, 4),
        date(2026, 2, 12),
        date(2026, 2, 11),
        date(2026, 3, 12),
    ]
    team = [done_at(f"i{n}", noon(day)) for n, day in enumerate(days)]
    team.append(interview("c1", status="cancelled", started_at=noon(date(2026, 3, 11))))
    return team


def test_pace_hand_computed() -> None:
    result = pace(team_for_pace(), weekly_target=2, goal_total=20, today=date(2026, 3, 11), tz=UTC)
    assert result == Pace(
        this_week=2,
        last_7_days=4,
        last_28_days=6,
        weekly_rate=Decimal("1.5"),
        weekly_target=2,
        total=7,
        goal_total=20,
        remaining=13,
        weeks_to_goal=9,
        on_track=False,
    )
    assert pace(team_for_pace(), 1, 20, date(2026, 3, 11), UTC).on_track is True


def test_pace_with_no_interviews() -> None:
    assert pace([], 3, 10, date(2026, 3, 11), UTC) == Pace(0, 0, 0, Decimal(0), 3, 0, 10, 10, None, False)
    assert pace([], 0, 0, date(2026, 3, 11), UTC) == Pace(0, 0, 0, Decimal(0), 0, 0, 0, 0, 0, True)


def test_pace_goal_reached_long_ago_needs_zero_weeks() -> None:
    old = [done_at("i1", noon(date(2025, 1, 6))), done_at("i2", noon(date(2025, 1, 7)))]
    assert pace(old, 1, 2, date(2026, 3, 11), UTC) == Pace(0, 0, 0, Decimal(0), 1, 2, 2, 0, 0, False)


def test_pace_rounds_weeks_to_goal_up_and_exact_divisions_stay_exact() -> None:
    eight = [done_at(f"i{n}", noon(date(2026, 3, 11) - timedelta(days=3 * n))) for n in range(8)]
    result = pace(eight, 2, 12, date(2026, 3, 11), UTC)
    assert (result.last_28_days, result.weekly_rate, result.remaining, result.weeks_to_goal, result.on_track) == (
        8,
        Decimal("2"),
        4,
        2,
        True,
    )
    assert pace(eight, 2, 13, date(2026, 3, 11), UTC).weeks_to_goal == 3


def test_pace_one_interview_quarter_rate_gives_no_weeks_to_the_goal() -> None:
    # one interview in four weeks would extrapolate to 16 weeks here (and to 396 for a goal of 100)
    one = [done_at("i1", noon(date(2026, 3, 10)))]
    assert pace(one, 1, 5, date(2026, 3, 11), UTC) == Pace(1, 1, 1, Decimal("0.25"), 1, 1, 5, 4, None, False)
    assert pace(one, 1, 100, date(2026, 3, 11), UTC).weeks_to_goal is None


def test_pace_estimates_from_the_minimum_on() -> None:
    days = [date(2026, 3, 11) - timedelta(days=5 * n) for n in range(PACE_MINIMUM)]
    enough = [done_at(f"i{n}", noon(day)) for n, day in enumerate(days)]
    assert pace(enough[:-1], 1, 25, date(2026, 3, 11), UTC).weeks_to_goal is None
    assert pace(enough, 1, 25, date(2026, 3, 11), UTC).weeks_to_goal == 16  # 20 left at 5 in four weeks


def test_pace_in_the_team_timezone() -> None:
    sunday_night_utc = [done_at("i1", datetime(2026, 3, 8, 23, 30, tzinfo=UTC))]
    monday = date(2026, 3, 9)
    assert pace(sunday_night_utc, 1, 10, monday, UTC).this_week == 0
    assert pace(sunday_night_utc, 1, 10, monday, UTC).last_7_days == 1
    assert pace(sunday_night_utc, 1, 10, monday, PLUS_2).this_week == 1
    assert pace(sunday_night_utc, 1, 10, date(2026, 3, 8), PLUS_2).total == 0


def test_pace_this_week_across_the_new_year() -> None:
    team = [done_at("i1", noon(date(2026, 12, 27))), done_at("i2", noon(date(2026, 12, 28)))]
    result = pace(team, 1, 2, date(2027, 1, 1), UTC)
    assert (result.this_week, result.last_7_days, result.total, result.weeks_to_goal) == (1, 2, 2, 0)


def test_pace_rejects_negative_targets() -> None:
    with pytest.raises(ValueError):
        pace([], -1, 10, date(2026, 3, 11), UTC)
    with pytest.raises(ValueError):
        pace([], 1, -10, date(2026, 3, 11), UTC)
