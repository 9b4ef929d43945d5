"""The ports the application service needs: storage (a unit of work of repositories), a clock and ids."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from core.app.export_data import ExportData
from core.board.team import BoardRepositories
from core.domain import InterviewRecord, InterviewSummary
from core.interview.effects import Effect
from core.interview.offers import Suggestions
from core.interview.state import ConversationState
from core.messages import Destination, Reply

T = TypeVar("T")

if TYPE_CHECKING:  # core.board.snapshot reads export helpers, which read these ports
    from core.board.snapshot import Board


@dataclass
class Conversation:
    """A stored conversation: whose it is and the engine state."""

    key: str
    team_id: int
    member_id: int
    state: ConversationState


@dataclass(frozen=True)
class OutboxMessage:
    """A committed message waiting to be (or already) sent, and where it goes."""

    id: int
    destination: Destination
    reply: Reply
    claimed: bool = True
    """False when it was committed behind earlier messages of its chat that the committing relay does not hold: it
    is then not handed to that relay but claimed by polling, after them (the chat's order, and one sender)."""


Backlog = tuple[str, int, datetime | None]
"""One platform's unsent outbox messages: platform, how many, when the oldest was committed."""


@dataclass(frozen=True)
class Claim:
    """Who is delivering a message and until when others must leave it alone (a relay's lease)."""

    owner: str
    until: datetime


@dataclass(frozen=True)
class Pruned:
    """How many old rows housekeeping deleted (or, on a dry run, would delete)."""

    events: int
    messages: int


class OutboxRepository(Protocol):
    """Messages waiting to be delivered, inside one transaction."""

    async def enqueue(
        self, destination: Destination, replies: Sequence[Reply], at: datetime, claim: Claim | None = None
    ) -> list[int]:
        """Put messages in the outbox, claimed for the caller's relay when given; returns their ids in order."""

    async def enqueue_claiming(
        self, destination: Destination, replies: Sequence[Reply], at: datetime, claim: Claim | None
    ) -> tuple[list[int], bool]:
        """Like `enqueue`; also whether the claim was taken (False when messages of that chat wait before them that
        the claimant does not hold: those go first, and these are claimed by polling after them)."""

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        """Mark messages delivered."""

    async def unsent(self, platform: str, limit: int) -> list[OutboxMessage]:
        """Messages not marked sent, oldest first."""

    async def claim(self, platform: str, claim: Claim, now: datetime, limit: int) -> list[OutboxMessage]:
        """Claim the queues of chats whose first unsent message nobody holds."""

    async def renew(self, ids: Sequence[int], claim: Claim) -> None:
        """Extend the lease on messages this relay holds."""

    async def release(self, owner: str, keep: Sequence[int] = ()) -> None:
        """Drop this relay's lease on every unsent message it holds, except `keep` (sent, marks not yet written)."""


class EventRepository(Protocol):
    """The ids of platform events already processed: what makes a re-delivered update change nothing."""

    async def claim(self, event_id: str, at: datetime) -> bool:
        """Record the event id; False if it was processed before (then change nothing)."""


class ConversationRepository(Protocol):
    """Each person's conversation with the bot: whose it is and the engine state."""

    async def get(self, key: str) -> Conversation | None:
        """The stored conversation, locked for this transaction."""

    async def peek(self, key: str) -> Conversation | None:
        """The stored conversation, not locked (for reads on a snapshot)."""

    async def create(self, conversation: Conversation, at: datetime) -> None:
        """Insert a first conversation row unless a concurrent message just did (then theirs stands)."""

    async def save(self, conversation: Conversation, at: datetime) -> None:
        """Insert or update the conversation state."""

    async def latest_team_of(self, platform: str, user: str) -> int | None:
        """The team of the person's most recently used conversation, if any."""

    async def latest_language_of(self, platform: str, user: str) -> str | None:
        """The language of the person's most recently used conversation (what they chose with /lang), if any."""


class InterviewRepository(Protocol):
    """Interviews, their answers and the structured record written when one is saved."""

    async def record(self, effects: Sequence[Effect], conversation: Conversation) -> None:
        """Apply the engine's effects: interviews, answers, structured records."""

    async def complete(self, interview_id: str, record: InterviewRecord, at: datetime, team_id: int) -> None:
        """Write the structured record of a saved interview (items, prices, commitments, evidence)."""

    async def summaries(self, team_id: int) -> list[InterviewSummary]:
        """The team's interviews with their answers and records, oldest first."""

    async def suggestions(self, team_id: int) -> Suggestions:
        """The team's segments and pains named in most saved interviews, to offer as answers (a few of each)."""


@dataclass(frozen=True)
class PeriodCounts:
    """What happened in one period (from `start`, before `end`) that the board's all-time counts do not say."""

    founders: dict[int, int]
    """Completed interviews (not survey answers) that happened in the period (completed_at, else started_at), per
    member id."""
    evidence: dict[str, dict[str, int]]
    """Pieces of evidence dated in the period (core.domain.evidence_dated), by hypothesis code and stance."""


class DigestReads(Protocol):
    """The reads the digest adds to the board's: what changed in a period; each aggregated in the database."""

    async def teams(self) -> list[tuple[int, str, str]]:
        """Every team as (id, slug, name), by id: whose digest to build."""

    async def period(self, team_id: int, start: datetime, end: datetime) -> PeriodCounts:
        """Interviews per founder and pieces of evidence in the period."""

    async def mentioned_before(
        self, team_id: int, kind: str, groups: Mapping[str, Sequence[str]], before: datetime
    ) -> set[str]:
        """Which item groups (group key -> the normalized item keys merged into it) some completed interview that
        happened before `before` mentions; the others are new since."""


class UnitOfWork(BoardRepositories, Protocol):
    """One transaction: everything a single incoming message changes commits together or not at all."""

    @property
    def events(self) -> EventRepository:
        """Processed event ids."""

    @property
    def conversations(self) -> ConversationRepository:
        """Conversations and their engine state."""

    @property
    def interviews(self) -> InterviewRepository:
        """Interviews and what the engine records in them."""

    @property
    def outbox(self) -> OutboxRepository:
        """Messages waiting to be delivered."""

    @property
    def digests(self) -> DigestReads:
        """What changed in a period, for the weekly digest."""


class Storage(Protocol):
    """Durable state behind an async port."""

    def transaction(self) -> AbstractAsyncContextManager[UnitOfWork]:
        """Open a unit of work; it commits when the block exits cleanly."""

    async def unsent(self, platform: str, limit: int = 100) -> list[OutboxMessage]:
        """Outbox messages for a platform that were committed but not marked sent, oldest first."""

    async def claim_unsent(self, platform: str, claim: Claim, now: datetime, limit: int = 100) -> list[OutboxMessage]:
        """Claim unsent messages nobody holds, oldest first, only the head of each chat's queue onwards.

        A chat's messages are claimed in order and never past one another holds, so two relays never send
        one message and never reorder a chat.
        """

    async def renew(self, ids: Sequence[int], claim: Claim) -> None:
        """Extend the lease on messages this relay still holds."""

    async def release(self, owner: str, keep: Sequence[int] = ()) -> None:
        """Give up this relay's leases on unsent messages (shutdown), except `keep` (sent, marks not yet written), so
        another relay takes them at once."""

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        """Mark messages delivered, durably, in a transaction of its own."""

    async def board(self, team_id: int, now: datetime, lang: str) -> Board:
        """The team's board from committed data, read outside the write transaction and its lock."""

    async def read(self, work: Callable[[UnitOfWork], Coroutine[Any, Any, T]]) -> T:
        """Run read-only work on a snapshot of committed data, outside the write lock.

        On SQLite the work runs in a worker thread on a connection of its own, so everything it awaits must be
        the unit of work's own reads (nothing else suspends).
        """

    async def export_data(self, team_slug: str | None = None) -> ExportData:
        """Teams, interviews with answers and records, and hypotheses."""

    async def team_id(self, slug: str) -> int | None:
        """The id of the team with this slug, if there is one."""

    async def prune(
        self, events_before: datetime, sent_before: datetime, batch: int | None = None, dry_run: bool = False
    ) -> Pruned:
        """Delete processed event ids recorded before `events_before` and outbox messages sent before `sent_before`
        (never an unsent one), at most `batch` rows per short transaction until none is left (None: the storage's own
        size, a batch that holds the write lock briefly); a dry run only counts.
        """

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
