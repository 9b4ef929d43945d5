"""Reading a backup's extras back: team settings, people and roles, logs, hypothesis links and history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any, get_args, get_type_hints

from core.analytics.funnel import FunnelLog, FunnelStep
from core.app.export_data import Logged, Person
from core.board.digest_schedule import CADENCES
from core.board.hypotheses import HypothesisEvent
from core.board.phases import PHASES
from core.board.team import ROLES, PhaseChange, TeamProfile
from core.i18n import LANGUAGES
from core.reminders.ports import DEFAULT_AT, ReminderSettings
from core.transfer.backup import SETTINGS
from core.transfer.import_check import Check
from core.zones import parse_clock, timezone_named

EVENT_KINDS = ("created", "status", "pivoted")
_PROFILE_TYPES: dict[str, Any] = get_type_hints(TeamProfile)
_RANGES = {
    "weekly_target": (0, 10_000),
    "goal_total": (0, 1_000_000),
    "digest_weekday": (0, 6),
    "digest_hour": (0, 23),
    "digest_minute": (0, 59),
}


_NOT_A: dict[type, Callable[[Check], str]] = {
    int: lambda c: c._("not a whole number"),
    bool: lambda c: c._("not true or false"),
    str: lambda c: c._("not a string"),
}


def moment(value: Any) -> datetime | None:
    """An ISO date and time (UTC when it names no zone), or None when it is not one."""
    try:
        found = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return found.replace(tzinfo=UTC) if found is not None and found.tzinfo is None else found


def when(c: Check, obj: dict[str, Any], path: str, key: str = "at") -> datetime:
    """A required moment; a placeholder when it is wrong (the entry is then skipped for its errors)."""
    found = c.convert(obj, key, moment, c._("not an ISO date and time"), path, required=True)
    return found or datetime.min.replace(tzinfo=UTC)


def settings(raw: dict[str, Any], slug: str, name: str, c: Check) -> TeamProfile | None:
    """The team's settings, or None when the file has none (an export from before backups kept them)."""
    section = raw.get("settings")
    if section is None:
        return None
    values = c.section(raw, "settings")
    chosen: dict[str, Any] = {}
    for key in SETTINGS:
        value = values.get(key)
        if value is None:
            continue
        kind = _PROFILE_TYPES[key]
        if kind == datetime | None:
            found = moment(value)
            if found is None:
                c.fail(f"settings.{key}", c._("not an ISO date and time"))
            else:
                chosen[key] = found
            continue
        wanted = kind if kind in (int, bool) else str
        if type(value) is not wanted:
            c.fail(f"settings.{key}", _NOT_A[wanted](c))
        else:
            chosen[key] = value
    for key, choices in (("language", tuple(LANGUAGES)), ("phase", PHASES), ("digest_cadence", CADENCES)):
        if chosen.get(key) not in (None, *choices):
            c.fail(f"settings.{key}", c._("not one of: {choices}").format(choices=", ".join(choices)))
    for key, (low, high) in _RANGES.items():
        if key in chosen and not low <= chosen[key] <= high:
            c.fail(f"settings.{key}", c._("not a whole number from {low} to {high}").format(low=low, high=high))
    return TeamProfile(0, slug, name, **chosen)


def people(raw: dict[str, Any], c: Check) -> tuple[Person, ...]:
    """Members with their roles, accounts and reminder settings."""
    return tuple(
        Person(
            c.text(p, "name", path, required=True, limit=200) or "",
            c.choice(p, "role", tuple(ROLES), path) or "founder",
            c.text(p, "platform", path, required=True, limit=20) or "",
            c.text(p, "user", path, required=True, limit=120) or "",
            reminders(p, f"{path}reminders.", c),
        )
        for path, p in c.items(raw, "people")
    )


def reminders(person: dict[str, Any], path: str, c: Check) -> ReminderSettings | None:
    """A person's reminder settings, or None when the backup has none for them."""
    if person.get("reminders") is None:
        return None
    values = c.section(person, "reminders")
    enabled = values.get("enabled", False)
    if type(enabled) is not bool:
        c.fail(path + "enabled", c._("not true or false"))
    at = c.convert(values, "at", _clock, c._("not a time like 18:00"), path) or DEFAULT_AT
    zone = c.convert(values, "timezone", _zone, c._("not a timezone like Europe/Berlin"), path)
    away = c.convert(values, "away_until", iso_day, c._("not a date like 2026-12-31"), path)
    return ReminderSettings(enabled is True, at, zone, away)


def _clock(value: Any) -> time | None:
    return parse_clock(value) if isinstance(value, str) else None


def _zone(value: Any) -> str | None:
    return timezone_named(value) if isinstance(value, str) else None


def iso_day(value: Any) -> date | None:
    """A day written as YYYY-MM-DD, or None when it is not one."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def phase_changes(raw: dict[str, Any], c: Check) -> tuple[PhaseChange, ...]:
    """Moves between phases; an override reason means the gate had not passed."""
    return tuple(
        PhaseChange(
            when(c, p, path),
            c.text(p, "from", path, required=True, limit=20) or "",
            c.text(p, "to", path, required=True, limit=20) or "",
            c.text(p, "by", path, limit=200) or "",
            c.text(p, "override_reason", path),
        )
        for path, p in c.items(raw, "phase_changes")
    )


def funnel_logs(raw: dict[str, Any], c: Check) -> tuple[Logged[FunnelLog], ...]:
    """Funnel counts logged by hand."""
    found = []
    steps = get_args(FunnelStep)
    for path, f in c.items(raw, "funnel_logs"):
        at, step = when(c, f, path), c.choice(f, "step", steps, path)
        count = c.convert(f, "count", _count, c._("not a whole number"), path, required=True)
        if step in steps and count is not None:
            found.append(
                Logged(FunnelLog(step, count, c.text(f, "segment", path), at), c.text(f, "by", path) or "", at)
            )
    return tuple(found)


def _count(value: Any) -> int | None:
    return value if type(value) is int and value >= 0 else None


def pairs(raw: dict[str, Any], section: str, keys: tuple[str, str], c: Check) -> tuple[Logged[tuple[str, str]], ...]:
    """Item merges (key, into) or gate ticks (phase, item), with who and when."""
    return tuple(
        Logged(
            (c.text(m, keys[0], path, required=True) or "", c.text(m, keys[1], path, required=True) or ""),
            c.text(m, "by", path, limit=200) or "",
            when(c, m, path),
        )
        for path, m in c.items(raw, section)
    )


def history(raw: dict[str, Any], c: Check) -> tuple[HypothesisEvent, ...]:
    """A hypothesis's history: created, status changes and its pivot, with who, when and why."""
    return tuple(
        HypothesisEvent(
            when(c, e, path),
            c.choice(e, "kind", EVENT_KINDS, path),
            c.text(e, "by", path, limit=200) or "",
            c.text(e, "status", path, required=True, limit=20) or "",
            c.text(e, "reason", path),
            c.code(e, "successor", path, required=False),
        )
        for path, e in c.items(raw, "history")
    )
