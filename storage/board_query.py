"""core.board.reader.BoardSource in SQL: the board read from counts kept as interviews complete.

The counts (storage.board_tables) are written in the transaction that completes an interview (storage.tally_write),
so every method here reads a bounded number of rows: counts by facet (storage.board_counts), the top item groups
(storage.board_items), and the latest interviews and evidence straight from their indexes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import and_, bindparam, select, union_all

from core.analytics.funnel import FunnelLog
from core.board.hypotheses import EvidenceItem, Hypothesis
from core.board.team import MemberInfo, PhaseChange, TeamProfile
from core.domain import InterviewRecord, InterviewSummary
from storage.board_counts import BoardCounts
from storage.board_items import BoardItems
from storage.board_tables import table
from storage.executor import Executor, aware
from storage.hypothesis_repo import SqlHypotheses
from storage.team_repo import SqlTeams

IV, E, TEAM, MEMBER = table("interview"), table("evidence"), table("team"), table("member")
UNION_TERMS = 100
"""Per-hypothesis selects joined in one UNION ALL (SQLite allows 500 terms)."""


@cache
def _latest_interviews() -> Any:
    """The latest interviews of a team with the team's slug and the founder's name (if in the team), newest first."""
    return (
        select(*IV.c, TEAM.c.slug, MEMBER.c.display_name.label("founder"))
        .join(TEAM, TEAM.c.id == IV.c.team_id)
        .outerjoin(MEMBER, and_(MEMBER.c.id == IV.c.member_id, MEMBER.c.team_id == IV.c.team_id))
        .where(IV.c.team_id == bindparam("p_team"))
        .order_by(IV.c.started_at.desc(), IV.c.id.desc())
        .limit(bindparam("p_limit"))
    )


@cache
def _latest_evidence(no_id: tuple[bool, ...]) -> Any:
    """The latest evidence of each (hypothesis id, code) pair, `no_id` telling which pairs have no id."""
    terms = []
    for n, missing in enumerate(no_id):
        same = E.c.hypothesis_id.is_(None) if missing else E.c.hypothesis_id == bindparam(f"p_id_{n}")
        terms.append(
            select(E)
            .where(E.c.team_id == bindparam("p_team"), same, E.c.hypothesis_code == bindparam(f"p_code_{n}"))
            .order_by(E.c.happened_at.desc(), E.c.id.desc())
            .limit(bindparam("p_limit"))
            .subquery()
            .select()
        )
    return terms[0] if len(terms) == 1 else union_all(*terms)


class BoardQuery(BoardCounts, BoardItems):
    """Reads one team's aggregates on one connection (a read-only one, or a unit of work's).

    Counts and item groups come from the mixins over the same connection; settings, members, merges, funnel logs,
    ticks, phases and hypotheses from the team and hypothesis repositories on it.
    """

    def __init__(self, execute: Executor, dialect: str) -> None:
        self.execute = execute
        self.dialect = dialect
        self._teams = SqlTeams(execute, dialect, self)
        self._hypotheses = SqlHypotheses(execute, dialect)

    async def team(self, team_id: int) -> TeamProfile:
        """The team's settings."""
        return await self._teams.team(team_id)

    async def members(self, team_id: int) -> list[MemberInfo]:
        """Everyone in the team."""
        return await self._teams.members(team_id)

    async def merges(self, team_id: int) -> dict[str, str]:
        """Explicit item merges: normalized key -> key it was merged into."""
        return await self._teams.merges(team_id)

    async def funnel_logs(self, team_id: int) -> list[FunnelLog]:
        """Every logged funnel count, oldest first."""
        return await self._teams.funnel_logs(team_id)

    async def ticks(self, team_id: int) -> set[str]:
        """Manual gate items ticked, as "phase.item"."""
        return await self._teams.ticks(team_id)

    async def phase_changes(self, team_id: int) -> list[PhaseChange]:
        """The phase history, oldest first."""
        return await self._teams.phase_changes(team_id)

    async def hypothesis_list(self, team_id: int) -> list[Hypothesis]:
        """Every hypothesis with its history, by number (evidence is counted and listed apart)."""
        return await self._hypotheses.without_evidence(team_id)

    async def latest_interviews(self, team_id: int, limit: int) -> list[InterviewSummary]:
        """The latest interviews of any status, oldest first, with their own columns only.

        Read backwards on ix_interview_latest, in the order the stored values sort in (as the export reads them:
        on SQLite two spellings of one instant sort apart, each by its text).
        """
        rows = (await self.execute(_latest_interviews(), {"p_team": team_id, "p_limit": limit})).all()
        return [_summary(row, row.slug, "?" if row.founder is None else row.founder) for row in reversed(rows)]

    async def latest_evidence(self, team_id: int, per_hypothesis: int) -> dict[str, list[EvidenceItem]]:
        """The latest pieces of evidence of each hypothesis, oldest first (ties in insertion order).

        One select per (hypothesis id, code) pair saved, each the top of ix_evidence_latest, so it reads at most
        `per_hypothesis` rows per pair.
        """
        pairs = await self.evidence_pairs(team_id)
        keys = list(pairs)
        found: dict[str, list[Any]] = defaultdict(list)
        for start in range(0, len(keys), UNION_TERMS):
            chunk = keys[start : start + UNION_TERMS]
            params: dict[str, Any] = {"p_team": team_id, "p_limit": per_hypothesis}
            for n, (hypothesis_id, code) in enumerate(chunk):
                params |= {f"p_id_{n}": hypothesis_id, f"p_code_{n}": code}
            statement = _latest_evidence(tuple(hypothesis_id is None for hypothesis_id, _code in chunk))
            for row in await self.execute(statement, params):
                found[pairs[(row.hypothesis_id, row.hypothesis_code)][0]].append(row)
        evidence: dict[str, list[EvidenceItem]] = {}
        for code, rows in found.items():
            rows.sort(key=lambda row: (aware(row.happened_at), row.id))
            evidence[code] = [
                EvidenceItem(
                    code,
                    row.interview_id,
                    row.alias,
                    cast(Any, row.stance),
                    cast(Any, row.strength),
                    row.quote,
                    cast(datetime, aware(row.happened_at)),
                )
                for row in rows[-per_hypothesis:]
            ]
        return evidence


def _summary(row: Any, team: str, founder: str) -> InterviewSummary:
    record = InterviewRecord(
        alias=row.alias,
        segment=row.segment,
        role=row.role,
        met_via=row.met_via,
        interview_date=row.interview_date,
        quote=row.quote,
        sean_ellis=row.sean_ellis,
    )
    started = aware(row.started_at)
    assert started is not None
    status = cast(Any, row.status)
    return InterviewSummary(row.id, team, founder, row.script, status, started, aware(row.completed_at), {}, record)
