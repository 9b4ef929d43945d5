"""The ports the application service needs: storage, a clock and ids (adapters implement them)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.board.team import TeamRepository
from core.domain import HypothesisRef, InterviewSummary
from core.interview.effects import Effect
from core.interview.state import ConversationState
from core.messages import Address, Reply


@dataclass(frozen=True)
class Membership:
    """A founder's seat in a team."""

    team_id: int
    team_slug: str
    member_id: int


@dataclass
class Conversation:
    """A stored conversation: whose it is and the engine state."""

    key: str
    team_id: int
    member_id: int
    state: ConversationState


@dataclass(frozen=True)
class OutboxMessage:
    """A committed reply waiting to be (or already) sent."""

    id: int
    address: Address
    reply: Reply


@dataclass(frozen=True)
class TeamInfo:
    """A team as listed in exports."""

    id: int
    slug: str
    name: str
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class HypothesisInfo:
    """A hypothesis as listed in exports."""

    team: str
    code: str
    statement: str
    status: str
    block: str | None = None
    criterion: str | None = None


@dataclass(frozen=True)
class ExportData:
    """Everything `cusdev export` writes."""

    teams: list[TeamInfo] = field(default_factory=list)
    interviews: list[InterviewSummary] = field(default_factory=list)
    hypotheses: list[HypothesisInfo] = field(default_factory=list)


class UnitOfWork(TeamRepository, Protocol):
    """One transaction: everything a single incoming message changes commits together or not at all."""

    async def claim_event(self, event_id: str, at: datetime) -> bool:
        """Record the event id; False if it was processed before (then change nothing)."""

    async def conversation(self, key: str) -> Conversation | None:
        """The stored conversation, locked for this transaction."""

    async def join_team(
        self, platform: str, user: str, display_name: str, team_slug: str, team_name: str | None = None
    ) -> Membership:
        """The founder's membership in the team, creating team and member as needed."""

    async def create_conversation(self, conversation: Conversation, at: datetime) -> None:
        """Insert a first conversation row unless a concurrent message just did (then theirs stands)."""

    async def member_role(self, member_id: int) -> str:
        """A member's role: owner, founder or mentor."""

    async def hypotheses(self, team_id: int) -> tuple[HypothesisRef, ...]:
        """The team's hypotheses, by code."""

    async def record(self, effects: Sequence[Effect], conversation: Conversation) -> None:
        """Apply the engine's effects: interviews, answers, structured records."""

    async def save_conversation(self, conversation: Conversation, at: datetime) -> None:
        """Insert or update the conversation state."""

    async def enqueue(self, address: Address, replies: Sequence[Reply], at: datetime) -> list[int]:
        """Put replies in the outbox; returns their ids in order."""

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        """Mark outbox messages as delivered."""


class Storage(Protocol):
    """Durable state behind an async port."""

    def transaction(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """Open a unit of work; it commits when the block exits cleanly."""

    async def unsent(self, platform: str, limit: int = 100) -> list[OutboxMessage]:
        """Outbox messages for a platform that were committed but not marked sent, oldest first."""

    async def export_data(self, team_slug: str | None = None) -> ExportData:
        """Teams, interviews with answers and records, and hypotheses."""

    async def team_id(self, slug: str) -> int | None:
        """The id of the team with this slug, if there is one."""

    async def close(self) -> None:
        """Release connections."""


class Clock(Protocol):
    """Where time comes from (tests use a fake)."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""


class IdSource(Protocol):
    """Where new ids come from (tests use a counter)."""

    def new_id(self) -> str:
        """A fresh unique id."""
