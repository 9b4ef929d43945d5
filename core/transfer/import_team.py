"""Reading a backup's extras back: team settings, people and roles, logs, hypothesis links and history."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, cast

from core.analytics.funnel import FunnelLog
from core.app.ports import Logged, Person
from core.board.hypotheses import HypothesisEvent
from core.board.team import ROLES, PhaseChange, TeamProfile
from core.i18n import LANGUAGES
from core.transfer.backup import SETTINGS
from core.transfer.import_check import Check

EVENT_KINDS = ("created", "status", "pivoted")
_PROFILE_TYPES = {f.name: f.type for f in fields(TeamProfile)}


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
        wanted = int if _PROFILE_TYPES[key] == "int" else str
        if type(value) is not wanted:
            c.fail(f"settings.{key}", c._("not a whole number") if wanted is int else c._("not a string"))
        else:
            chosen[key] = value
    if chosen.get("language") not in (None, *LANGUAGES):
        c.fail("settings.language", c._("not one of: {choices}").format(choices=", ".join(LANGUAGES)))
    return TeamProfile(0, slug, name, **chosen)


def people(raw: dict[str, Any], c: Check) -> tuple[Person, ...]:
    """Members with their roles and accounts."""
    return tuple(
        Person(
            c.text(p, "name", path, required=True, limit=200) or "",
            c.choice(p, "role", tuple(ROLES), path) or "founder",
            c.text(p, "platform", path, required=True, limit=20) or "",
            c.text(p, "user", path, required=True, limit=120) or "",
        )
        for path, p in c.items(raw, "people")
    )


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
    """Funnel counts logged by hand; a step or count FunnelLog refuses is reported."""
    found = []
    for path, f in c.items(raw, "funnel_logs"):
        at, count = when(c, f, path), f.get("count")
        try:
            if type(count) is not int:
                raise ValueError(c._("not a whole number"))
            log = FunnelLog(cast(Any, f.get("step")), count, c.text(f, "segment", path), at)
        except ValueError as exc:
            c.fail(path.rstrip("."), str(exc))
            continue
        found.append(Logged(log, c.text(f, "by", path, limit=200) or "", at))
    return tuple(found)


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
