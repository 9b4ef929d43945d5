"""core.app.ports.DigestReads over in-memory rows: the same answers as storage.digest_reads, computed in Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from core.analytics.items import normalize_item
from core.app.ports import PeriodCounts
from core.domain import evidence_dated, is_interview
from tests.fakes.memory_rows import InterviewRow, Rows


def _happened(row: InterviewRow) -> datetime:
    return row.completed_at or row.started_at


class InMemoryDigestReads:
    """Implements core.app.ports.DigestReads."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    async def teams(self) -> list[tuple[int, str, str]]:
        """Every team as (id, slug, name), by id."""
        return [(team.id, team.slug, team.name) for team in sorted(self.rows.teams.values(), key=lambda t: t.id)]

    async def period(self, team_id: int, start: datetime, end: datetime) -> PeriodCounts:
        """Interviews per founder and pieces of evidence in the period."""
        founders: dict[int, int] = {}
        for row in self._completed(team_id):
            if is_interview(row.script) and start <= _happened(row) < end:
                founders[row.member_id] = founders.get(row.member_id, 0) + 1
        evidence: dict[str, dict[str, int]] = {}
        for link in self.rows.evidence:
            interview = self.rows.interviews.get(link.interview_id)
            if interview is None or interview.team_id != team_id:
                continue
            at = evidence_dated(interview.record.interview_date, interview.completed_at or interview.started_at)
            if start <= at < end:
                stances = evidence.setdefault(link.code, {})
                stances[link.stance] = stances.get(link.stance, 0) + 1
        return PeriodCounts(founders, evidence)

    async def mentioned_before(
        self, team_id: int, kind: str, groups: Mapping[str, Sequence[str]], before: datetime
    ) -> set[str]:
        """Which item groups a completed interview that happened before `before` mentions."""
        seen: set[str] = set()
        for row in self._completed(team_id):
            if _happened(row) < before:
                items = {"pain": row.record.pains, "job": row.record.jobs, "gain": row.record.gains}[kind]
                seen |= {normalize_item(item.text) for item in items}
        return {group for group, keys in groups.items() if seen & set(keys)}

    def _completed(self, team_id: int) -> list[InterviewRow]:
        return [row for row in self.rows.interviews.values() if row.team_id == team_id and row.status == "completed"]
