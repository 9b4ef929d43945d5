"""The read side's ports: `BoardReader` gives the whole board; `BoardSource` gives the aggregates it is computed from.

Storage answers `BoardSource` from counts it keeps as interviews complete, so what comes back is bounded by the
team's vocabulary (segments, price answers, the top item groups) and time span, not by its number of interviews.
Every count is over completed interviews unless a method says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from core.analytics.funnel import FunnelLog
from core.analytics.pricing import PriceCounts
from core.board.hypotheses import EvidenceItem, Hypothesis, Tally
from core.board.team import MemberInfo, PhaseChange, TeamProfile
from core.domain import InterviewSummary

if TYPE_CHECKING:
    from core.board.snapshot import Board

Order = str
"""Where a row's first interview comes when interviews are read oldest first (started_at, id, item position);
opaque, only compared with other values of the same query."""


@dataclass(frozen=True)
class HappenedCounts:
    """Completed interviews by when they happened (completed_at, else started_at)."""

    total: int
    first: datetime | None
    last: datetime | None
    before: tuple[int, ...]
    """How many happened strictly before each of the bounds asked for, in the order asked."""


@dataclass(frozen=True)
class SegmentCount:
    """Completed interviews with one exact segment wording, run with one script, with or without a commitment, and
    recording a pain or not."""

    segment: str | None
    script: str
    committed: bool
    pained: bool
    count: int


@dataclass(frozen=True)
class CommitmentCount:
    """Commitments of one kind, exact currency and amount as stored."""

    kind: str
    currency: str | None
    amount: Decimal | None
    count: int


@dataclass(frozen=True)
class TeamCounts:
    """Completed interviews counted every way the board shows them, each bounded by the team's vocabulary."""

    segments: list[SegmentCount]
    founders: dict[int, int]
    """Completed interviews per member id."""
    sean_ellis: dict[str, int]
    """Completed interviews by their Sean Ellis answer (unanswered ones left out)."""
    commitments: list[CommitmentCount]
    prices: list[PriceCounts]
    """The four Van Westendorp answers, all given, counted per currency (core.analytics.pricing.price_counts)."""
    evidence: dict[str, Tally]
    """Evidence of every status of interview, counted by hypothesis code, stance and strength."""


@dataclass(frozen=True)
class ItemFilter:
    """Which item mentions to rank: a kind, or pains from a severity up (optionally of one segment)."""

    kind: str
    min_severity: int | None = None
    segment_key: str | None = None
    """Keep only interviews whose segment normalizes (core.analytics.items.normalize_item) to this; None: any."""


@dataclass(frozen=True)
class Wording:
    """Mentions of one exact item text; `key` is its normalized key before merges."""

    key: str
    text: str
    count: int


@dataclass(frozen=True)
class ItemTally:
    """One group of items after merges: the interviews that named it, mentions, severities and its wordings."""

    interviewees: int
    mentions: int
    severity_sum: int
    severity_n: int
    wordings: tuple[Wording, ...]


class BoardSource(Protocol):
    """The aggregates of one team's data that the board is computed from."""

    async def prefetch(self, team_id: int) -> None:
        """The whole board is about to be read: a source whose reads cost round trips may read its parts at once."""

    async def team(self, team_id: int) -> TeamProfile:
        """The team's settings."""

    async def members(self, team_id: int) -> list[MemberInfo]:
        """Everyone in the team."""

    async def merges(self, team_id: int) -> dict[str, str]:
        """Explicit item merges: normalized key -> key it was merged into."""

    async def funnel_logs(self, team_id: int) -> list[FunnelLog]:
        """Every logged funnel count, oldest first (typed by hand, so few)."""

    async def ticks(self, team_id: int) -> set[str]:
        """Manual gate items ticked, as "phase.item"."""

    async def phase_changes(self, team_id: int) -> list[PhaseChange]:
        """The phase history, oldest first."""

    async def hypothesis_list(self, team_id: int) -> list[Hypothesis]:
        """Every hypothesis with its history, by number; `evidence` left empty."""

    async def counts(self, team_id: int) -> TeamCounts:
        """Everything the board counts by segment, founder, answer, commitment, price and evidence."""

    async def latest_evidence(self, team_id: int, per_hypothesis: int) -> dict[str, list[EvidenceItem]]:
        """The latest pieces of evidence of each hypothesis, oldest first."""

    async def latest_interviews(self, team_id: int, limit: int) -> list[InterviewSummary]:
        """The latest interviews of any status, oldest first, with their own columns (no answers or items); a
        founder who is not a member of the team reads as "?"."""

    async def happened(self, team_id: int, bounds: Sequence[datetime]) -> HappenedCounts:
        """Completed interviews: how many, the first and last moment, and how many before each bound."""

    async def first_segments(self, team_id: int, segments: Sequence[str]) -> dict[str, Order]:
        """Where the first completed interview with each of these exact segments comes (asked only on a tie)."""

    async def top_items(
        self, team_id: int, items: ItemFilter, merged: Mapping[str, str], limit: int
    ) -> list[ItemTally]:
        """Item groups (normalized key, then `merged`: key -> final key) that rank within the first `limit`.

        Ranked by interviewees desc, then groups with a severity first, then mean severity (rounded half-up to
        2 places) desc; every group tied with the last one kept is returned too, so the caller can finish the
        order by text exactly. Blank keys are left out.
        """

    async def first_mentions(self, team_id: int, items: ItemFilter, texts: Sequence[str]) -> dict[str, Order]:
        """Where the first mention of each of these exact texts comes (asked only to break a tie of wordings)."""


class BoardReader(Protocol):
    """Where the board comes from: one read computed with aggregates in the database."""

    async def board(self, team_id: int, now: datetime, lang: str) -> Board:
        """The team's board as of `now`, its wording in `lang`."""
