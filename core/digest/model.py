"""The digest's facts for one period: the board as of the period's end plus what changed in it, read on one snapshot."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from core.analytics.activity import monday_of
from core.analytics.items import resolved_merges
from core.app.ports import PeriodCounts
from core.board.snapshot import Board, team_zone
from core.board.team import PhaseChange, names
from core.digest.next_step import NextStep, next_step

if TYPE_CHECKING:
    from core.app.ports import Storage, UnitOfWork

PAINS_SHOWN = 5
WEEKS_CHARTED = 8
STALE_DAYS = 14
"""A hypothesis still being tested with no new evidence for this long is called out."""
LIVE = ("untested", "testing")


@dataclass(frozen=True)
class DigestPain:
    """A top pain: interviewees naming it (all time), its mean severity, and whether it is new this period."""

    text: str
    interviewees: int
    mean_severity: Decimal | None
    new: bool


@dataclass(frozen=True)
class StatusChange:
    """A hypothesis whose status changed in the period (the last change in it)."""

    code: str
    statement: str
    before: str
    after: str
    at: datetime


@dataclass(frozen=True)
class NewEvidence:
    """Pieces of evidence a hypothesis got in the period."""

    code: str
    statement: str
    supports: int
    refutes: int


@dataclass(frozen=True)
class StaleHypothesis:
    """A hypothesis being tested that got no evidence for STALE_DAYS; `days` since its last piece (None: never)."""

    code: str
    statement: str
    days: int | None


@dataclass(frozen=True)
class Digest:
    """One team's digest for the period from `start` to `end`."""

    board: Board
    start: datetime
    end: datetime
    interviews: int
    target: int
    """The weekly target scaled to the period's length (a day's digest: a seventh of it, rounded up)."""
    per_founder: tuple[tuple[str, int], ...]
    weeks: tuple[tuple[date, int], ...]
    """Interviews per week (Monday in the team's timezone), the last WEEKS_CHARTED weeks up to the period's end."""
    pains: tuple[DigestPain, ...]
    status_changes: tuple[StatusChange, ...]
    new_evidence: tuple[NewEvidence, ...]
    stale: tuple[StaleHypothesis, ...]
    override: PhaseChange | None
    """The move into the current phase when it was made without passing the gate."""
    next_step: NextStep

    @property
    def empty(self) -> bool:
        """The team has no completed interview at all yet."""
        return self.board.pace.total == 0


async def build_digest(storage: Storage, team_id: int, start: datetime, end: datetime, lang: str) -> Digest:
    """The team's digest for the period, read on one snapshot of committed data."""

    async def work(uow: UnitOfWork) -> Digest:
        return await read_digest(uow, team_id, start, end, lang)

    return await storage.read(work)


async def read_digest(uow: UnitOfWork, team_id: int, start: datetime, end: datetime, lang: str) -> Digest:
    """The team's digest for the period from an open unit of work (the board as of `end`, in `lang`)."""
    board = await uow.teams.board(team_id, end, lang)
    period = await uow.digests.period(team_id, start, end)
    merged = resolved_merges(await uow.teams.merges(team_id))
    shown = board.top_pains[:PAINS_SHOWN]
    groups = {item.key: [item.key, *(key for key, into in merged.items() if into == item.key)] for item in shown}
    old = await uow.digests.mentioned_before(team_id, "pain", groups, start) if groups else set()
    interviews = sum(period.founders.values())
    target = math.ceil(board.team.weekly_target * (end - start).total_seconds() / timedelta(weeks=1).total_seconds())
    return Digest(
        board=board,
        start=start,
        end=end,
        interviews=interviews,
        target=target,
        per_founder=_per_founder(board, period),
        weeks=_weeks(board, end),
        pains=tuple(
            DigestPain(item.text, item.interviewees, item.mean_severity, item.key not in old) for item in shown
        ),
        status_changes=_status_changes(board, start, end),
        new_evidence=_new_evidence(board, period),
        stale=_stale(board, end),
        override=_override(board),
        next_step=next_step(board, interviews, target),
    )


def _per_founder(board: Board, period: PeriodCounts) -> tuple[tuple[str, int], ...]:
    """Every member's interviews in the period, most first (a former member's read as "?")."""
    named = names(board.members)
    counts = {name: 0 for name in named.values()}
    for member_id, count in period.founders.items():
        name = named.get(member_id, "?")
        counts[name] = counts.get(name, 0) + count
    return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


def _weeks(board: Board, end: datetime) -> tuple[tuple[date, int], ...]:
    """The last WEEKS_CHARTED weeks up to the one `end` falls in, from the board's weeks (a week it skips had none)."""
    zone = team_zone(board.team)
    last = monday_of((end - timedelta(microseconds=1)).astimezone(zone).date())
    counted = {date.fromisocalendar(year, week, 1): count for year, week, count in board.per_week}
    mondays = [last - timedelta(weeks=n) for n in reversed(range(WEEKS_CHARTED))]
    return tuple((monday, counted.get(monday, 0)) for monday in mondays)


def _status_changes(board: Board, start: datetime, end: datetime) -> tuple[StatusChange, ...]:
    changes = []
    for view in board.hypotheses:
        hypothesis, before = view.hypothesis, None
        found: StatusChange | None = None
        for event in hypothesis.history:
            if event.kind != "created" and before is not None and start <= event.at < end:
                first = found.before if found else before
                found = StatusChange(hypothesis.code, hypothesis.statement, first, event.status, event.at)
            before = event.status
        if found is not None and found.before != found.after:
            changes.append(found)
    return tuple(changes)


def _new_evidence(board: Board, period: PeriodCounts) -> tuple[NewEvidence, ...]:
    return tuple(
        NewEvidence(
            view.hypothesis.code,
            view.hypothesis.statement,
            period.evidence[view.hypothesis.code].get("supports", 0),
            period.evidence[view.hypothesis.code].get("refutes", 0),
        )
        for view in board.hypotheses
        if view.hypothesis.code in period.evidence
    )


def _stale(board: Board, end: datetime) -> tuple[StaleHypothesis, ...]:
    """Hypotheses still untested or testing, at least STALE_DAYS old, with no evidence in the last STALE_DAYS."""
    since = end - timedelta(days=STALE_DAYS)
    stale = []
    for view in board.hypotheses:
        hypothesis = view.hypothesis
        created = hypothesis.history[0].at if hypothesis.history else None
        dated = [piece.at for piece in hypothesis.evidence if piece.at < end]  # the board's latest pieces
        last = max(dated, default=None)
        if hypothesis.status not in LIVE or (created is not None and created > since):
            continue
        if last is None or last < since:
            days = None if last is None else (end - last).days
            stale.append(StaleHypothesis(hypothesis.code, hypothesis.statement, days))
    return tuple(stale)


def _override(board: Board) -> PhaseChange | None:
    if not board.phase_changes:
        return None
    last = board.phase_changes[-1]
    return last if last.override_reason and last.to_phase == board.team.phase else None
