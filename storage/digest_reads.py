"""core.app.ports.DigestReads over SQL: what changed in a period, each read one aggregate statement on indexes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, select

from core.app.ports import PeriodCounts
from core.domain import SURVEY_SCRIPT
from storage.board_tables import table
from storage.executor import SqlRepository, utc
from storage.tally import digest

IV, ITEM, EV = table("interview").c, table("item").c, table("evidence").c
happened_at = func.coalesce(IV.completed_at, IV.started_at)
"""When a completed interview happened (as the board counts it)."""


class SqlDigestReads(SqlRepository):
    """Implements core.app.ports.DigestReads on one open transaction (a read snapshot for the digest)."""

    async def teams(self) -> list[tuple[int, str, str]]:
        """Every team as (id, slug, name), by id."""
        team = table("team").c
        rows = await self.execute(select(team.id, team.slug, team.name).order_by(team.id))
        return [(team_id, slug, name) for team_id, slug, name in rows]

    async def period(self, team_id: int, start: datetime, end: datetime) -> PeriodCounts:
        """Interviews per founder and pieces of evidence in the period."""
        start, end = utc(start), utc(end)
        founders: dict[int, int] = {}
        done = (IV.completed_at >= start, IV.completed_at < end)
        undated = (IV.completed_at.is_(None), IV.started_at >= start, IV.started_at < end)  # imported, say
        for when in (done, undated):  # each an index range: ix_interview_done, ix_interview_latest
            rows = await self.execute(
                select(IV.member_id, func.count())
                .where(IV.team_id == team_id, IV.status == "completed", IV.script != SURVEY_SCRIPT, *when)
                .group_by(IV.member_id)
            )
            for member_id, count in rows:
                founders[member_id] = founders.get(member_id, 0) + count
        evidence: dict[str, dict[str, int]] = {}
        rows = await self.execute(
            select(EV.hypothesis_code, EV.stance, func.count())
            .where(EV.team_id == team_id, EV.happened_at >= start, EV.happened_at < end)
            .group_by(EV.hypothesis_code, EV.stance)
        )
        for code, stance, count in rows:
            evidence.setdefault(code, {})[stance] = count
        return PeriodCounts(
            founders=founders,
            evidence=evidence,
        )

    async def mentioned_before(
        self, team_id: int, kind: str, groups: Mapping[str, Sequence[str]], before: datetime
    ) -> set[str]:
        """Which item groups an interview that happened before `before` mentions: one indexed probe per key, which
        stops at the first such mention (a new group has only the period's few mentions to look through)."""
        before = utc(before)
        found = set()
        for group, keys in groups.items():
            for key in keys:
                probe = (
                    select(ITEM.id)
                    .join_from(table("item"), table("interview"), IV.id == ITEM.interview_id)
                    .where(
                        ITEM.team_id == team_id,
                        ITEM.kind == kind,
                        ITEM.key_hash == digest(key),
                        ITEM.norm_key == key,
                        IV.status == "completed",
                        happened_at < before,
                    )
                    .limit(1)
                )
                if (await self.execute(probe)).first() is not None:
                    found.add(group)
                    break
        return found
