"""Timezones and times of day as people type them, one reading for every command (digest, reminders, team)."""

from __future__ import annotations

import re
from datetime import time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.parsing import fold_typed

_CLOCK = re.compile(r"([01]?[0-9]|2[0-9])(?:[:.h]([0-9]{2}))?\s*(am|pm|h)?")


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def timezone_named(text: str) -> str | None:
    """The IANA name a typed timezone means ("europe/moscow" -> "Europe/Moscow"), or None for an unknown one."""
    return _zones().get(text.strip().casefold())


def zone_of(name: str) -> ZoneInfo:
    """The timezone of an IANA name; UTC for one this system does not know (a setting from elsewhere)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_clock(text: str) -> time | None:
    """A time of day typed as 18:30, 18.30, 9:05, 18, 18h, 6pm or 6 pm; None when it is not one (25:00, 13pm)."""
    match = _CLOCK.fullmatch(fold_typed(text))
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None
