"""What the in-memory storage holds: plain rows in dicts, copied whole per transaction (a failed one leaves none)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.analytics.funnel import FunnelLog
from core.app.export_data import Logged
from core.board.hypotheses import HypothesisEvent
from core.board.team import PhaseChange, TeamProfile
from core.domain import InterviewRecord
from core.reminders.ports import ReminderSettings


@dataclass
class MemberRow:
    """A person in a team, identified per platform."""

    id: int
    team_id: int
    platform: str
    user: str
    name: str
    role: str


@dataclass
class ConversationRow:
    """A conversation's owner and engine state (as its JSON form, like the database keeps it)."""

    team_id: int
    member_id: int
    state: dict[str, Any]
    updated_at: datetime


@dataclass
class HypothesisRow:
    """A hypothesis with its history."""

    id: int
    team_id: int
    number: int
    statement: str
    status: str
    block: str | None
    criterion: str | None
    predecessor: str | None = None
    successor: str | None = None
    history: list[HypothesisEvent] = field(default_factory=list)
    created_at: datetime | None = None

    @property
    def code(self) -> str:
        """H1, H2, ... by number."""
        return f"H{self.number}"


@dataclass
class EvidenceRow:
    """One evidence link of a saved interview, to a hypothesis by code."""

    interview_id: str
    code: str
    stance: str
    strength: str
    quote: str | None


@dataclass
class InterviewRow:
    """An interview, its answers and (once saved) its record."""

    id: str
    team_id: int
    member_id: int
    script: str
    lang: str
    status: str
    started_at: datetime
    completed_at: datetime | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    record: InterviewRecord = field(default_factory=InterviewRecord)
    flags: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class OutboxRow:
    """A committed message in its stored (JSON) form, and its delivery state."""

    id: int
    platform: str
    tenant: str
    chat: str
    payload: dict[str, Any]
    claimed_by: str | None = None
    claimed_until: datetime | None = None
    sent_at: datetime | None = None


@dataclass
class Rows:
    """Every row the storage holds; a transaction works on a deep copy and replaces this on commit."""

    events: dict[str, datetime] = field(default_factory=dict)
    """Processed event ids -> when."""
    conversations: dict[str, ConversationRow] = field(default_factory=dict)
    teams: dict[int, TeamProfile] = field(default_factory=dict)
    invites: dict[int, str] = field(default_factory=dict)
    members: dict[int, MemberRow] = field(default_factory=dict)
    merges: dict[int, dict[str, Logged[tuple[str, str]]]] = field(default_factory=dict)
    """Per team, by key: (key, into) with who and when."""
    funnel: dict[int, list[Logged[FunnelLog]]] = field(default_factory=dict)
    phases: dict[int, list[PhaseChange]] = field(default_factory=dict)
    ticks: dict[int, dict[str, Logged[tuple[str, str]]]] = field(default_factory=dict)
    """Per team, by "phase.item": (phase, item) with who and when."""
    hypotheses: dict[int, HypothesisRow] = field(default_factory=dict)
    interviews: dict[str, InterviewRow] = field(default_factory=dict)
    evidence: list[EvidenceRow] = field(default_factory=list)
    outbox: dict[int, OutboxRow] = field(default_factory=dict)
    digests: dict[tuple[int, str], tuple[datetime, str]] = field(default_factory=dict)
    """Sent digest periods: (team, period) -> (when, kind)."""
    reminder_settings: dict[int, ReminderSettings] = field(default_factory=dict)
    """Per member id."""
    reminded: dict[tuple[int, date], datetime] = field(default_factory=dict)
    """(member id, local day) -> when it was recorded."""
    serial: int = 0

    def next_id(self) -> int:
        """A fresh id (one sequence for every kind of row is enough here)."""
        self.serial += 1
        return self.serial


def money(value: Decimal | None) -> Decimal | None:
    """A money amount as the database gives it back: exact, without trailing zeros."""
    return None if value is None else Decimal(str(value)).normalize()
