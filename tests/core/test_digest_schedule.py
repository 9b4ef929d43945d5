"""A digest's schedule in the team's timezone: runs, periods, a daylight-saving week, and what people type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.board.digest_schedule import (
    DigestSchedule,
    ParsedSchedule,
    latest_run,
    next_run,
    parse_schedule,
    period_before,
    period_key,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_monday_nine_in_moscow_runs_at_six_utc_and_reports_the_week_before() -> None:
    moscow = DigestSchedule("weekly", 0, 9, 0, "Europe/Moscow")
    monday = utc(2026, 11, 30, 6, 0)
    assert latest_run(moscow, monday) == monday
    assert latest_run(moscow, monday - timedelta(seconds=1)) == utc(2026, 11, 23, 6, 0)
    assert next_run(moscow, monday) == utc(2026, 12, 7, 6, 0)
    assert period_before(moscow, monday) == (utc(2026, 11, 23, 6, 0), monday)
    assert period_key(monday) == "2026-11-30T06:00Z"


def test_the_same_schedule_in_two_timezones_runs_at_different_moments() -> None:
    now = utc(2026, 12, 1, 12, 0)  # Tuesday noon UTC
    tokyo = DigestSchedule("weekly", 1, 9, 30, "Asia/Tokyo")
    new_york = DigestSchedule("weekly", 1, 9, 30, "America/New_York")
    assert latest_run(tokyo, now) == utc(2026, 12, 1, 0, 30)
    assert latest_run(new_york, now) == utc(2026, 11, 24, 14, 30), "09:30 in New York is still ahead today"
    assert next_run(new_york, now) == utc(2026, 12, 1, 14, 30)


def test_a_daylight_saving_week_keeps_nine_local_and_is_an_hour_longer() -> None:
    berlin = DigestSchedule("weekly", 0, 9, 0, "Europe/Berlin")  # clocks went back on Sunday 25 Oct 2026
    before, after = utc(2026, 10, 19, 7, 0), utc(2026, 10, 26, 8, 0)
    assert latest_run(berlin, after) == after and latest_run(berlin, after - timedelta(minutes=1)) == before
    start, end = period_before(berlin, after)
    assert (start, end) == (before, after) and end - start == timedelta(hours=169)
    spring = latest_run(berlin, utc(2027, 3, 29, 12, 0))  # clocks went forward on Sunday 28 Mar 2027
    assert spring == utc(2027, 3, 29, 7, 0)
    assert spring - period_before(berlin, spring)[0] == timedelta(hours=167)


def test_a_daily_time_the_clocks_skip_runs_just_after_the_gap() -> None:
    berlin = DigestSchedule("daily", 0, 2, 30, "Europe/Berlin")
    run = latest_run(berlin, utc(2027, 3, 28, 12, 0))
    assert run == utc(2027, 3, 28, 1, 30), "02:30 does not exist that night: it runs at 03:30 local"
    following = latest_run(berlin, utc(2027, 3, 29, 12, 0))
    assert following == utc(2027, 3, 29, 0, 30)
    assert period_before(berlin, run)[0] == utc(2027, 3, 27, 1, 30), "from the run before"
    assert period_before(berlin, following)[0] == run, "periods meet end to end: no hour falls between them"


def test_off_never_runs() -> None:
    off = DigestSchedule("off")
    assert latest_run(off, utc(2026, 12, 1, 9, 0)) is None and next_run(off, utc(2026, 12, 1, 9, 0)) is None


def test_what_people_type_in_english_and_russian() -> None:
    assert parse_schedule("monday 09:00 Europe/Moscow") == ParsedSchedule("weekly", 0, 9, 0, "Europe/Moscow")
    assert parse_schedule("daily 18:30") == ParsedSchedule("daily", None, 18, 30)
    assert parse_schedule("Fri 6 pm") == ParsedSchedule("weekly", 4, 18, 0)
    assert parse_schedule("пн 9:00") == ParsedSchedule("weekly", 0, 9, 0)
    assert parse_schedule("каждый день 8.30 asia/almaty") == ParsedSchedule("daily", None, 8, 30, "Asia/Almaty")
    assert parse_schedule("someday 9:00").error == "day"
    assert parse_schedule("").error == "day"
    assert parse_schedule("mon 25:00").error == "time"
    assert parse_schedule("mon").error == "time"
    assert parse_schedule("mon 13pm").error == "time"
    assert parse_schedule("mon 9:00 Mars/Base").error == "zone"
    assert parse_schedule("every Monday at 9") == ParsedSchedule("weekly", 0, 9, 0)
    assert parse_schedule("каждый понедельник в 9:00") == ParsedSchedule("weekly", 0, 9, 0)
    assert parse_schedule("по пятницам 18h") == ParsedSchedule("weekly", 4, 18, 0)
    assert parse_schedule("в среду 10:15") == ParsedSchedule("weekly", 2, 10, 15)
