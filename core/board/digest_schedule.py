"""When a team's digest goes out: weekly on a weekday or daily, at a wall-clock time in the team's timezone.

All moments are timezone-aware; a schedule's runs are computed from the local calendar, so a week with a daylight
saving change still runs at 09:00 local (the week is then 167 or 169 hours long).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from core.board.team import TeamProfile
from core.parsing import fold_typed, weekday_of
from core.zones import parse_clock, timezone_named, zone_of

Cadence = Literal["weekly", "daily", "off"]
CADENCES: tuple[Cadence, ...] = ("weekly", "daily")
"""What a team stores; "off" is what a switched-off digest's schedule reads as."""
DAILY_WORDS = frozenset({"daily", "day", "everyday", "ежедневно", "день"})
FILLER_WORDS = frozenset({"every", "each", "on", "at", "каждый", "каждую", "каждое", "по", "в", "во"})
"""Words around the day and time that change nothing ("every Monday at 9", «каждый понедельник в 9:00»)."""


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
        return zone_of(self.timezone)


def schedule_of(team: TeamProfile) -> DigestSchedule:
    """The team's digest schedule as stored."""
    cadence: Cadence = next((known for known in CADENCES if known == team.digest_cadence), "weekly")
    if not team.digest_enabled:
        cadence = "off"
    return DigestSchedule(cadence, team.digest_weekday, team.digest_hour, team.digest_minute, team.timezone)


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a local day as an aware UTC moment. A time the clocks skip (spring forward) falls just
    after the gap; a time that happens twice (fall back) is its first occurrence."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _runs(schedule: DigestSchedule, now: datetime, back: bool) -> list[datetime]:
    """The schedule's moments on the nine local days from today, going back or forward (empty when it is off)."""
    if schedule.cadence == "off":
        return []
    zone, at, step = schedule.zone, time(schedule.hour, schedule.minute), -1 if back else 1
    today = now.astimezone(zone).date()
    days = [today + timedelta(days=step * n) for n in range(9)]
    chosen = [day for day in days if schedule.cadence == "daily" or day.weekday() == schedule.weekday]
    return [local_moment(day, at, zone) for day in chosen]


def latest_run(schedule: DigestSchedule, now: datetime) -> datetime | None:
    """The latest scheduled moment at or before `now` (None when the digest is off)."""
    return next((moment for moment in _runs(schedule, now, back=True) if moment <= now), None)


def next_run(schedule: DigestSchedule, now: datetime) -> datetime | None:
    """The first scheduled moment after `now` (None when the digest is off)."""
    return next((moment for moment in _runs(schedule, now, back=False) if moment > now), None)


def period_before(schedule: DigestSchedule, run: datetime) -> tuple[datetime, datetime]:
    """The period a run reports on: from the run a week (or a day) before to this one, so periods meet end to end
    even when a run fell just after a skipped hour."""
    zone = schedule.zone
    days = 1 if schedule.cadence == "daily" else 7
    previous = run.astimezone(zone).date() - timedelta(days=days)
    return local_moment(previous, time(schedule.hour, schedule.minute), zone), run


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
    """`<weekday|daily> <HH:MM> [IANA tz]`, in English or Russian ("monday 09:00 Europe/Moscow", "every Friday at
    6pm", "daily 18:30", "пн 9:00", «каждый понедельник в 9:00», "ежедневно 8.30 Asia/Almaty")."""
    words = [word for word in text.replace(",", " ").split() if fold_typed(word) not in FILLER_WORDS]
    if not words:
        return ParsedSchedule(error="day")
    first = fold_typed(words[0]).rstrip(".")
    cadence: Cadence
    weekday = weekday_of(first)
    if first in DAILY_WORDS:
        cadence = "daily"
    elif weekday is not None:
        cadence = "weekly"
    else:
        return ParsedSchedule(error="day")
    words = words[1:]
    if len(words) > 1 and fold_typed(words[1]) in ("am", "pm", "h"):
        words = [words[0] + words[1], *words[2:]]
    clock = parse_clock(words[0]) if words else None
    if clock is None:
        return ParsedSchedule(cadence, weekday, error="time")
    zone = None
    if len(words) > 1:
        zone = timezone_named(words[1])
        if zone is None or len(words) > 2:
            return ParsedSchedule(cadence, weekday, clock.hour, clock.minute, error="zone")
    return ParsedSchedule(cadence, weekday, clock.hour, clock.minute, zone)
