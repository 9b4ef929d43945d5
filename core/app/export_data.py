"""What an export (and a backup) carries: teams with their settings, people and logs, and hypotheses with history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from core.analytics.funnel import FunnelLog
from core.board.hypotheses import HypothesisEvent
from core.board.team import PhaseChange, TeamProfile
from core.domain import InterviewSummary
from core.reminders.ports import ReminderSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Person:
    """A member as a backup keeps them: name, role, the account they use and their reminder settings."""

    name: str
    role: str
    platform: str
    user: str
    reminders: ReminderSettings | None = None
    """None when they never set any (the defaults)."""


@dataclass(frozen=True)
class Logged(Generic[T]):
    """Something the team logged, with who logged it (funnel counts, merges, gate ticks)."""

    entry: T
    by: str
    at: datetime


@dataclass(frozen=True)
class TeamInfo:
    """A team as listed in exports; a backup also carries its settings, people and logs."""

    id: int
    slug: str
    name: str
    members: tuple[str, ...] = ()
    profile: TeamProfile | None = None
    people: tuple[Person, ...] = ()
    phase_changes: tuple[PhaseChange, ...] = ()
    funnel_logs: tuple[Logged[FunnelLog], ...] = ()
    merges: tuple[Logged[tuple[str, str]], ...] = ()
    """Item merges: (key, into)."""
    ticks: tuple[Logged[tuple[str, str]], ...] = ()
    """Manual gate items ticked: (phase, item)."""


@dataclass(frozen=True)
class HypothesisInfo:
    """A hypothesis as listed in exports, with its pivot links and history."""

    team: str
    code: str
    statement: str
    status: str
    block: str | None = None
    criterion: str | None = None
    predecessor: str | None = None
    successor: str | None = None
    created_at: datetime | None = None
    history: tuple[HypothesisEvent, ...] = ()


@dataclass(frozen=True)
class ExportData:
    """Everything `cusdev export` writes."""

    teams: list[TeamInfo] = field(default_factory=list)
    interviews: list[InterviewSummary] = field(default_factory=list)
    hypotheses: list[HypothesisInfo] = field(default_factory=list)
