"""The teams whose digest is on, and the periods already sent (storage.digest_tables)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import col

from core.board.team import TeamProfile
from storage import tables as t
from storage.digest_tables import DigestRun
from storage.executor import SqlRepository, aware, utc
from storage.membership_repo import profile


class SqlDigests(SqlRepository):
    """The digest part of core.board.team.TeamRepository on one transaction."""

    async def digest_teams(self) -> list[TeamProfile]:
        """Every team with a digest channel and a digest not switched off."""
        team = t.Team
        query = (
            select(team)
            .where(col(team.digest_chat).is_not(None), col(team.digest_enabled).is_(True))
            .order_by(col(team.id))
        )
        return [profile(row) for row in await self.execute(query)]

    async def last_scheduled_digest(self, team_id: int) -> datetime | None:
        """When the team's latest scheduled digest was sent, if ever."""
        query = select(func.max(col(DigestRun.sent_at))).where(
            col(DigestRun.team_id) == team_id, col(DigestRun.kind) == "scheduled"
        )
        return aware((await self.execute(query)).scalar_one_or_none())

    async def record_digest(self, team_id: int, period: str, at: datetime, kind: str) -> bool:
        """Record the period's digest; False when it already was (the unique key, not a read, decides)."""
        query = (
            self.insert(DigestRun)
            .values(team_id=team_id, period=period, sent_at=utc(at), kind=kind)
            .on_conflict_do_nothing(index_elements=["team_id", "period"])
            .returning(col(DigestRun.id))
        )
        return (await self.execute(query)).first() is not None
