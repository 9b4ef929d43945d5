"""core.board.reader.BoardSource in SQL: the board read from counts kept as interviews complete.

The counts (storage.board_tables) are written in the transaction that completes an interview (storage.tally_write),
so every method here reads a bounded number of rows: counts by facet (storage.board_counts), the top item groups
(storage.board_items), and the latest interviews and evidence straight from their indexes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import and_, bindparam, literal_column, select, union_all

from core.analytics.funnel import FunnelLog
from core.analytics.items import resolved_merges
from core.board.hypotheses import EvidenceItem, Hypothesis
from core.board.reader import ItemFilter, ItemTally, TeamCounts
from core.board.snapshot import EVIDENCE_SHOWN, INTERVIEWS_SHOWN, ITEMS_SHOWN
from core.board.team import MemberInfo, PhaseChange, TeamProfile
from core.domain import SURVEY_SCRIPT, InterviewSummary
from storage.board_counts import BoardCounts
from storage.board_items import BoardItems
from storage.board_tables import table
from storage.executor import Executor, all_finished, aware
from storage.hypothesis_repo import SqlHypotheses
from storage.interview_rows import listed_summary
from storage.team_repo import SqlTeams

IV, E, TEAM, MEMBER = table("interview"), table("evidence"), table("team"), table("member")
T = TypeVar("T")
UNION_TERMS = 100
"""Per-hypothesis selects joined in one UNION ALL (SQLite allows 500 terms)."""


@cache
def _latest_interviews() -> Any:
    """The latest interviews of a team (not survey answers) with the team's slug and the founder's name (if in the
    team), newest first."""
    return (
        select(*IV.c, TEAM.c.slug, MEMBER.c.display_name.label("founder"))
        .join(TEAM, TEAM.c.id == IV.c.team_id)
        .outerjoin(MEMBER, and_(MEMBER.c.id == IV.c.member_id, MEMBER.c.team_id == IV.c.team_id))
        .where(IV.c.team_id == bindparam("p_team"), IV.c.script != SURVEY_SCRIPT)
        .order_by(IV.c.started_at.desc(), IV.c.id.desc())
        .limit(bindparam("p_limit"))
    )


@cache
def _latest_evidence(no_id: tuple[bool, ...]) -> Any:
    """The latest evidence of each (hypothesis id, code) pair, `no_id` telling which pairs have no id."""
    shown = [E.c[name] for name in _EVIDENCE_COLUMNS]
    terms = []
    for n, missing in enumerate(no_id):
        same = E.c.hypothesis_id.is_(None) if missing else E.c.hypothesis_id == bindparam(f"p_id_{n}")
        terms.append(
            select(literal_column(str(n)).label("pair"), *shown)
            .where(E.c.team_id == bindparam("p_team"), same, E.c.hypothesis_code == bindparam(f"p_code_{n}"))
            .order_by(E.c.happened_at.desc(), E.c.id.desc())
            .limit(bindparam("p_limit"))
            .subquery()
            .select()
        )
    # Oldest first within each pair, so the rows come out in the order they are shown.
    every = terms[0] if len(terms) == 1 else union_all(*terms).subquery().select()
    columns = every.selected_columns
    return every.order_by(columns.pair, columns.happened_at, columns.id)


_EVIDENCE_COLUMNS = ("id", "interview_id", "alias", "stance", "strength", "quote", "happened_at")


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
        self._fetched: dict[tuple[Any, ...], Any] = {}

    async def prefetch(self, team_id: int) -> None:
        """Read the parts of a board that need nothing else first, at once, when the connection can take several
        statements together (storage.pipelined: one round trip); each is then answered from what was read."""
        if not getattr(self.execute, "concurrent", False):
            return
        reads = {
            ("team", team_id): self.team(team_id),
            ("counts", team_id): self.counts(team_id),
            ("funnel_logs", team_id): self.funnel_logs(team_id),
            ("ticks", team_id): self.ticks(team_id),
            ("members", team_id): self.members(team_id),
            ("phase_changes", team_id): self.phase_changes(team_id),
            ("hypothesis_list", team_id): self.hypothesis_list(team_id),
            ("latest_evidence", team_id, EVIDENCE_SHOWN): self.latest_evidence(team_id, EVIDENCE_SHOWN),
            ("latest_interviews", team_id, INTERVIEWS_SHOWN): self.latest_interviews(team_id, INTERVIEWS_SHOWN),
        }
        read, (merges, merged, top) = await all_finished(
            all_finished(*reads.values()), self._merges_then_top_items(team_id)
        )
        self._fetched.update(zip(reads, read, strict=True))
        self._fetched[("merges", team_id)] = merges
        for kind, items in zip(TOP_KINDS, top, strict=True):
            self._fetched[_top_key(team_id, ItemFilter(kind), merged, ITEMS_SHOWN)] = items

    async def _merges_then_top_items(
        self, team_id: int
    ) -> tuple[dict[str, str], dict[str, str], list[list[ItemTally]]]:
        merges = await self._teams.merges(team_id)
        merged = resolved_merges(merges)
        top = await all_finished(
            *(BoardItems.top_items(self, team_id, ItemFilter(kind), merged, ITEMS_SHOWN) for kind in TOP_KINDS)
        )
        return merges, merged, top

    async def _once(self, key: tuple[Any, ...], read: Callable[[], Awaitable[T]]) -> T:
        """What prefetch read for this call, else a read now."""
        if key in self._fetched:
            return cast(T, self._fetched.pop(key))
        return await read()

    async def team(self, team_id: int) -> TeamProfile:
        """The team's settings."""
        return await self._once(("team", team_id), lambda: self._teams.team(team_id))

    async def members(self, team_id: int) -> list[MemberInfo]:
        """Everyone in the team."""
        return await self._once(("members", team_id), lambda: self._teams.members(team_id))

    async def merges(self, team_id: int) -> dict[str, str]:
        """Explicit item merges: normalized key -> key it was merged into."""
        return await self._once(("merges", team_id), lambda: self._teams.merges(team_id))

    async def funnel_logs(self, team_id: int) -> list[FunnelLog]:
        """Every logged funnel count, oldest first."""
        return await self._once(("funnel_logs", team_id), lambda: self._teams.funnel_logs(team_id))

    async def ticks(self, team_id: int) -> set[str]:
        """Manual gate items ticked, as "phase.item"."""
        return await self._once(("ticks", team_id), lambda: self._teams.ticks(team_id))

    async def phase_changes(self, team_id: int) -> list[PhaseChange]:
        """The phase history, oldest first."""
        return await self._once(("phase_changes", team_id), lambda: self._teams.phase_changes(team_id))

    async def hypothesis_list(self, team_id: int) -> list[Hypothesis]:
        """Every hypothesis with its history, by number (evidence is counted and listed apart)."""
        return await self._once(("hypothesis_list", team_id), lambda: self._hypotheses.without_evidence(team_id))

    async def top_items(
        self, team_id: int, items: ItemFilter, merged: Mapping[str, str], limit: int
    ) -> list[ItemTally]:
        """Item groups within the first `limit` (storage.board_items)."""
        key = _top_key(team_id, items, merged, limit)
        return await self._once(key, lambda: BoardItems.top_items(self, team_id, items, merged, limit))

    async def counts(self, team_id: int) -> TeamCounts:
        """Everything the board counts by segment, founder, answer, commitment, price and evidence."""
        return await self._once(("counts", team_id), lambda: BoardCounts.counts(self, team_id))

    async def latest_interviews(self, team_id: int, limit: int) -> list[InterviewSummary]:
        """The latest interviews of any status, oldest first, with their own columns only.

        Read backwards on ix_interview_latest, in the order the stored values sort in (as the export reads them:
        on SQLite two spellings of one instant sort apart, each by its text).
        """
        return await self._once(("latest_interviews", team_id, limit), lambda: self._latest_interviews(team_id, limit))

    async def _latest_interviews(self, team_id: int, limit: int) -> list[InterviewSummary]:
        rows = (await self.execute(_latest_interviews(), {"p_team": team_id, "p_limit": limit})).all()
        return [listed_summary(row) for row in reversed(rows)]

    async def latest_evidence(self, team_id: int, per_hypothesis: int) -> dict[str, list[EvidenceItem]]:
        """The latest pieces of evidence of each hypothesis, oldest first (ties in insertion order).

        One select per (hypothesis id, code) pair saved, each the top of ix_evidence_latest, so it reads at most
        `per_hypothesis` rows per pair.
        """
        return await self._once(
            ("latest_evidence", team_id, per_hypothesis), lambda: self._latest_evidence(team_id, per_hypothesis)
        )

    async def _latest_evidence(self, team_id: int, per_hypothesis: int) -> dict[str, list[EvidenceItem]]:
        pairs = await self.evidence_pairs(team_id)
        keys = list(pairs)
        found: dict[str, list[tuple[datetime, int, EvidenceItem]]] = defaultdict(list)
        for start in range(0, len(keys), UNION_TERMS):
            chunk = keys[start : start + UNION_TERMS]
            params: dict[str, Any] = {"p_team": team_id, "p_limit": per_hypothesis}
            for n, (hypothesis_id, code) in enumerate(chunk):
                params |= {f"p_id_{n}": hypothesis_id, f"p_code_{n}": code}
            statement = _latest_evidence(tuple(hypothesis_id is None for hypothesis_id, _code in chunk))
            for pair, row_id, interview_id, alias, stance, strength, quote, happened in await self.execute(
                statement, params
            ):
                code = pairs[chunk[pair]][0]
                at = cast(datetime, aware(happened))
                found[code].append((at, row_id, EvidenceItem(code, interview_id, alias, stance, strength, quote, at)))
        owners = Counter(owner for owner, _counts in pairs.values())
        evidence: dict[str, list[EvidenceItem]] = {}
        for code, rows in found.items():
            if owners[code] > 1:  # one hypothesis saved under two pairs (an id, and a code alone): merge their orders
                rows.sort(key=lambda row: row[:2])
            evidence[code] = [item for _at, _id, item in rows[-per_hypothesis:]]
        return evidence


TOP_KINDS = ("pain", "job", "gain")
"""The item kinds the board ranks in full (core.board.assemble: top pains, jobs and gains)."""


def _top_key(team_id: int, items: ItemFilter, merged: Mapping[str, str], limit: int) -> tuple[Any, ...]:
    return ("top_items", team_id, items, tuple(sorted(merged.items())), limit)
