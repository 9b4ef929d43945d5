"""A team's backup beyond its interviews, as JSON: settings, people and roles, logs, hypothesis links and history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.app.export_data import HypothesisInfo, Person, TeamInfo

SETTINGS = (
    "phase",
    "timezone",
    "language",
    "weekly_target",
    "goal_total",
    "target_segment",
    "gates_yaml",
    "digest_chat",
    "digest_weekday",
    "digest_hour",
    "digest_minute",
    "digest_cadence",
    "digest_tenant",
    "digest_enabled",
    "digest_set_at",
)
"""The TeamProfile fields a backup keeps (id, slug and name are the team's own keys)."""


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def team_to_dict(team: TeamInfo) -> dict[str, Any]:
    """One team in the export's JSON shape: name and member names, then what a restore needs."""
    document: dict[str, Any] = {"slug": team.slug, "name": team.name, "members": list(team.members)}
    if team.profile is not None:
        values = {key: getattr(team.profile, key) for key in SETTINGS}
        document["settings"] = {k: _when(v) if isinstance(v, datetime) else v for k, v in values.items()}
    if team.people:
        document["people"] = [person_to_dict(person) for person in team.people]
    if team.phase_changes:
        document["phase_changes"] = [
            {
                "at": _when(change.at),
                "from": change.from_phase,
                "to": change.to_phase,
                "by": change.by,
                "override_reason": change.override_reason,
            }
            for change in team.phase_changes
        ]
    if team.funnel_logs:
        document["funnel_logs"] = [
            {"step": f.entry.step, "count": f.entry.count, "segment": f.entry.segment, "by": f.by, "at": _when(f.at)}
            for f in team.funnel_logs
        ]
    if team.merges:
        document["merges"] = [
            {"key": m.entry[0], "into": m.entry[1], "by": m.by, "at": _when(m.at)} for m in team.merges
        ]
    if team.ticks:
        document["gate_ticks"] = [
            {"phase": g.entry[0], "item": g.entry[1], "by": g.by, "at": _when(g.at)} for g in team.ticks
        ]
    return document


def person_to_dict(person: Person) -> dict[str, Any]:
    """A member with their role and account, and their reminder settings when they set any."""
    document: dict[str, Any] = {"name": person.name, "role": person.role, "platform": person.platform}
    document["user"] = person.user
    if person.reminders is not None:
        r = person.reminders
        document["reminders"] = {
            "enabled": r.enabled,
            "at": r.at.strftime("%H:%M"),
            "timezone": r.timezone,
            "away_until": r.away_until.isoformat() if r.away_until else None,
        }
    return document


def hypothesis_to_dict(hypothesis: HypothesisInfo) -> dict[str, Any]:
    """One hypothesis in the export's JSON shape, with its pivot links and history when known."""
    document: dict[str, Any] = {
        "team": hypothesis.team,
        "code": hypothesis.code,
        "statement": hypothesis.statement,
        "status": hypothesis.status,
        "block": hypothesis.block,
        "criterion": hypothesis.criterion,
    }
    if hypothesis.predecessor or hypothesis.successor:
        document |= {"predecessor": hypothesis.predecessor, "successor": hypothesis.successor}
    if hypothesis.created_at is not None:
        document["created_at"] = _when(hypothesis.created_at)
    if hypothesis.history:
        document["history"] = [
            {
                "at": _when(event.at),
                "kind": event.kind,
                "by": event.by,
                "status": event.status,
                "reason": event.reason,
                "successor": event.successor,
            }
            for event in hypothesis.history
        ]
    return document
