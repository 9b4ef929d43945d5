"""The rules of reminders: reading times, timezones and away dates, the pro-rated target, and when a nudge is due."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.reminders.ports import ReminderSettings
from core.reminders.rules import away_day, due_day, expected_by
from core.zones import parse_clock, timezone_named

TUESDAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("18:30", time(18, 30)), ("9:05", time(9, 5)), ("18.30", time(18, 30)), ("18", time(18)), ("０９:００", time(9))],
)
def test_times_read_as_typed_on_phones(typed: str, expected: time) -> None:
    assert parse_clock(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "24:00", "18:75", "18:3", "six", "", "-1:00", "18:30:00"])
def test_what_is_not_a_time_of_day(typed: str) -> None:
    assert parse_clock(typed) is None


def test_timezones_are_iana_names_in_any_case() -> None:
    assert timezone_named("europe/moscow") == "Europe/Moscow"
    assert timezone_named(" UTC ") == "UTC"
    assert timezone_named("Mars/Base") is None and timezone_named("") is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("friday", date(2026, 12, 4)),
        ("Tuesday", date(2026, 12, 8)),  # today is Tuesday: the coming one is next week's
        ("пятницы", date(2026, 12, 4)),
        ("пятницу", date(2026, 12, 4)),
        ("20 December", date(2026, 12, 20)),
        ("20 декабря", date(2026, 12, 20)),
        ("2 January", date(2027, 1, 2)),
        ("1 December", date(2026, 12, 1)),
        ("tomorrow", date(2026, 12, 2)),
        ("in 3 days", date(2026, 12, 4)),
        ("next week", date(2026, 12, 8)),
        ("2027-03-01", date(2027, 3, 1)),
        ("yesterday", date(2026, 11, 30)),  # in the past: the command refuses it
        ("2025-12-20", date(2025, 12, 20)),  # a year given is kept, past or not
    ],
)
def test_away_dates_look_forward(typed: str, expected: date) -> None:
    assert away_day(typed, TUESDAY) == expected


def test_what_is_not_a_date() -> None:
    assert away_day("someday", TUESDAY) is None and away_day("", TUESDAY) is None


def test_the_weekly_target_is_pro_rated_by_the_weekday_and_rounded_up() -> None:
    assert [expected_by(day, 15) for day in range(7)] == [3, 5, 7, 9, 11, 13, 15]
    assert [expected_by(day, 0) for day in range(7)] == [0] * 7
    assert expected_by(0, 1) == 1 and expected_by(6, 1) == 1


MOSCOW = ZoneInfo("Europe/Moscow")
ON = ReminderSettings(enabled=True, at=time(18, 30))


@pytest.mark.parametrize(
    ("settings", "last", "utc_hour", "due"),
    [
        (ON, None, 15.5, date(2026, 12, 1)),  # 18:30 Moscow
        (ON, None, 15.4, None),  # 18:24
        (ON, date(2026, 12, 1), 16, None),  # reminded today
        (ON, date(2026, 11, 30), 16, date(2026, 12, 1)),  # reminded yesterday
        (ON, None, 18, None),  # 21:00: night
        (ReminderSettings(), None, 16, None),  # off
        (ReminderSettings(True, time(18, 30), None, date(2026, 12, 2)), None, 16, None),  # away until tomorrow
        (ReminderSettings(True, time(18, 30), None, date(2026, 12, 1)), None, 16, date(2026, 12, 1)),  # back today
    ],
)
def test_due_day(settings: ReminderSettings, last: date | None, utc_hour: float, due: date | None) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC).replace(hour=int(utc_hour), minute=round(utc_hour % 1 * 60))
    assert due_day(settings, last, MOSCOW, now) == due
