"""The rules of reminders: allowed hours, reading a time, a timezone and an away date, and when a nudge is due.

"Behind" is the team's pace as the board counts it: interviews completed this week (Monday to now, in the team's
timezone) below the weekly target pro-rated by the weekday, rounded up (target 15: 3 by Monday, 9 by Thursday,
15 by Sunday). A target of 0 is never behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from core.parsing import fold_typed, parse_date
from core.reminders.ports import ReminderSettings

DAY_STARTS = time(9, 0)
NIGHT_STARTS = time(21, 0)
"""Nudges go out between 09:00 and 20:59 in the founder's timezone, never at night."""


def in_daytime(at: time) -> bool:
    """True for a time when nudges may go out (09:00 to 20:59)."""
    return DAY_STARTS <= at < NIGHT_STARTS


_GENITIVE = {
    "понедельника": "понедельник",
    "вторника": "вторник",
    "среды": "среда",
    "четверга": "четверг",
    "пятницы": "пятница",
    "субботы": "суббота",
    "воскресенья": "воскресенье",
}
"""Weekdays as "до пятницы" names them."""


def away_day(text: str, today: date) -> date | None:
    """The day an `away until ...` names, looking forward: "friday" is the coming one, "20 December" the next.

    Dates parse as core.parsing reads them (English and Russian); a day in the past stays in the past (the
    caller refuses it), None when the text is not a date.
    """
    text = _GENITIVE.get(fold_typed(text), text)
    day = parse_date(text, today)
    if day is None or day > today:
        return day
    coming = parse_date(f"next {fold_typed(text)}", today)  # a weekday name means the coming one, never today
    if coming is not None:
        return coming
    # A day without a year parses as its latest past occurrence; parsed from a far later day it moves by years.
    later = parse_date(text, today + timedelta(days=400))
    if later is None or (later.month, later.day) != (day.month, day.day) or later.year == day.year:
        return day
    for year in (today.year, today.year + 1, today.year + 2):
        try:
            candidate = date(year, day.month, day.day)
        except ValueError:  # 29 February
            continue
        if candidate >= today:
            return candidate
    return day


@dataclass(frozen=True)
class Pace:
    """The team's week so far against its target, pro-rated to today."""

    done: int
    target: int
    expected: int

    @property
    def behind(self) -> bool:
        """Fewer interviews this week than the pro-rated target asks by today."""
        return self.done < self.expected

    @property
    def to_go(self) -> int:
        """Interviews left to reach the week's target."""
        return max(self.target - self.done, 0)


def expected_by(weekday: int, target: int) -> int:
    """The week's target pro-rated to the end of a weekday (Monday 0), rounded up."""
    return -(-target * (weekday + 1) // 7)


def week_start(now: datetime, zone: tzinfo) -> datetime:
    """The first instant (UTC) of the ISO week that `now` falls in, in `zone`: the board's week."""
    today = now.astimezone(zone).date()
    return day_start(today - timedelta(days=today.weekday()), zone)


def day_start(day: date, zone: tzinfo) -> datetime:
    """The first instant (UTC) whose local date in `zone` is `day`."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def due_day(settings: ReminderSettings, last_reminded: date | None, zone: tzinfo, now: datetime) -> date | None:
    """The founder's local day when a nudge may go out now: on, past their time, daytime, not away, not sent yet."""
    local = now.astimezone(zone)
    today, clock = local.date(), local.time()
    if not settings.enabled or not in_daytime(clock) or clock < settings.at:
        return None
    if settings.away_until is not None and today < settings.away_until:
        return None
    if last_reminded is not None and last_reminded >= today:
        return None
    return today
