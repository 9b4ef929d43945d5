"""When a team's digest goes out: weekly on a weekday or daily, at a wall-clock time in the team's timezone.

All moments are timezone-aware; a schedule's runs are computed from the local calendar, so a week with a daylight
saving change still runs at 09:00 local (the week is then 167 or 169 hours long).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.board.team import TeamProfile

Cadence = Literal["weekly", "daily", "off"]
CADENCES: tuple[Cadence, ...] = ("weekly", "daily", "off")
WEEKDAY_NAMES: dict[str, int] = {
    **{
        name: n for n, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    },
    **{name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        name: n
        for n, name in enumerate(("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"))
    },
    **{name: n for n, name in enumerate(("пн", "вт", "ср", "чт", "пт", "сб", "вс"))},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
    "среду": 2,
    "пятницу": 4,
    "субботу": 5,
}
DAILY_WORDS = frozenset({"daily", "day", "everyday", "ежедневно", "каждый", "день"})
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


@dataclass(frozen=True)
class DigestSchedule:
    """A team's digest schedule: cadence, weekday (0 = Monday, weekly only), local time and IANA timezone."""

    cadence: Cadence = "weekly"
    weekday: int = 0
    hour: int = 9
    minute: int = 0
    timezone: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        """The schedule's zone (UTC when the stored name is not a zone this machine knows)."""
        return zone_or_none(self.timezone) or ZoneInfo("UTC")


@cache
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def zone_or_none(name: str) -> ZoneInfo | None:
    """The IANA zone of that name, in any letter case ("europe/moscow"), or None."""
    key = _zone_names().get(name.strip().casefold(), name.strip())
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def schedule_of(team: TeamProfile) -> DigestSchedule:
    """The team's digest schedule as stored."""
    cadence: Cadence = next((known for known in CADENCES if known == team.digest_cadence), "weekly")
    return DigestSchedule(cadence, team.digest_weekday, team.digest_hour, team.digest_minute, team.timezone)


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a local day as an aware UTC moment. A time the clocks skip (spring forward) falls just
    after the gap; a time that happens twice (fall back) is its first occurrence."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _days(schedule: DigestSchedule, around: date, back: bool) -> list[date]:
    step = -1 if back else 1
    days = [around + timedelta(days=step * n) for n in range(9)]
    return [day for day in days if schedule.cadence == "daily" or day.weekday() == schedule.weekday]


def latest_run(schedule: DigestSchedule, now: datetime) -> datetime | None:
    """The latest scheduled moment at or before `now` (None when the digest is off)."""
    if schedule.cadence == "off":
        return None
    zone, at = schedule.zone, time(schedule.hour, schedule.minute)
    for day in _days(schedule, now.astimezone(zone).date(), back=True):
        moment = local_moment(day, at, zone)
        if moment <= now:
            return moment
    return None  # unreachable for a valid schedule: one of eight days back matches


def next_run(schedule: DigestSchedule, now: datetime) -> datetime | None:
    """The first scheduled moment after `now` (None when the digest is off)."""
    if schedule.cadence == "off":
        return None
    zone, at = schedule.zone, time(schedule.hour, schedule.minute)
    for day in _days(schedule, now.astimezone(zone).date(), back=False):
        moment = local_moment(day, at, zone)
        if moment > now:
            return moment
    return None


def period_before(schedule: DigestSchedule, run: datetime) -> tuple[datetime, datetime]:
    """The period a run reports on: the week (or day) of local calendar time that ends at the run."""
    zone = schedule.zone
    local = run.astimezone(zone)
    days = 1 if schedule.cadence == "daily" else 7
    return local_moment(local.date() - timedelta(days=days), local.time(), zone), run


def period_key(run: datetime) -> str:
    """The stored key of a scheduled run: its moment in UTC, to the minute."""
    return run.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


@dataclass(frozen=True)
class ParsedSchedule:
    """What `digest schedule …` asked for; `error` names the part that could not be read."""

    cadence: Cadence | None = None
    weekday: int | None = None
    hour: int | None = None
    minute: int | None = None
    timezone: str | None = None
    error: Literal["", "day", "time", "zone"] = ""


def parse_schedule(text: str) -> ParsedSchedule:
    """`<weekday|daily> <HH:MM> [IANA tz]`, in English or Russian ("monday 09:00 Europe/Moscow", "daily 18:30",
    "пн 9:00", "ежедневно 8.30 Asia/Almaty")."""
    words = [word for word in text.replace(",", " ").split() if word]
    if not words:
        return ParsedSchedule(error="day")
    first = words[0].casefold().rstrip(".")
    cadence: Cadence
    weekday = None
    if first in DAILY_WORDS:
        cadence = "daily"
        words = words[2:] if first == "каждый" and len(words) > 1 and words[1].casefold() == "день" else words[1:]
    elif first in WEEKDAY_NAMES:
        cadence, weekday, words = "weekly", WEEKDAY_NAMES[first], words[1:]
    else:
        return ParsedSchedule(error="day")
    if len(words) > 1 and words[1].casefold() in ("am", "pm"):
        words = [words[0] + words[1], *words[2:]]
    clock = _TIME.match(words[0].casefold()) if words else None
    if clock is None:
        return ParsedSchedule(cadence, weekday, error="time")
    hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
    if clock.group(3):
        if not 1 <= hour <= 12:
            return ParsedSchedule(cadence, weekday, error="time")
        hour = hour % 12 + (12 if clock.group(3) == "pm" else 0)
    if hour > 23 or minute > 59:
        return ParsedSchedule(cadence, weekday, error="time")
    zone = None
    if len(words) > 1:
        found = zone_or_none(words[1])
        if found is None or len(words) > 2:
            return ParsedSchedule(cadence, weekday, hour, minute, error="zone")
        zone = found.key
    return ParsedSchedule(cadence, weekday, hour, minute, zone)
