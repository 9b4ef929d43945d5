"""Joining teams: invite codes, adding members, and the team a group chat belongs to."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from core.board.team import TeamProfile
from storage import tables as t
from storage.executor import Executor


class MembershipRepo:
    """The membership half of core.board.team.TeamRepository; mixed into the unit of work."""

    execute: Executor
    insert: Any

    if TYPE_CHECKING:

        async def team(self, team_id: int) -> TeamProfile: ...  # provided by TeamRepo

    async def invite_code(self, team_id: int) -> str:
        """The team's invite code, made on first use."""
        found = (await self.execute(select(t.Team.invite_code).where(t.Team.id == team_id))).scalar_one_or_none()
        if found:
            return str(found)
        code = secrets.token_urlsafe(9)  # 12 URL-safe characters: deep links allow [A-Za-z0-9_-]
        await self.execute(update(t.Team).where(t.Team.id == team_id).values(invite_code=code))  # type: ignore[arg-type]
        return code

    async def team_by_invite(self, code: str) -> TeamProfile | None:
        """The team an invite code opens, if any."""
        found = (await self.execute(select(t.Team.id).where(t.Team.invite_code == code))).scalar_one_or_none()
        return None if found is None else await self.team(int(found))

    async def add_member(self, team_id: int, platform: str, user: str, name: str) -> tuple[int, str]:
        """Put a person in a team (as founder; the first one owns it); their member id and role.

        Safe against a concurrent first message from the same person: the insert yields to theirs."""
        query = select(t.Member.id, t.Member.role).where(
            t.Member.team_id == team_id, t.Member.platform == platform, t.Member.user_key == user
        )
        row = (await self.execute(query)).first()
        if row is None:
            count = (await self.execute(select(func.count()).where(t.Member.team_id == team_id))).scalar_one()
            await self.execute(
                self.insert(t.Member)
                .values(
                    team_id=team_id,
                    platform=platform,
                    user_key=user,
                    display_name=name[:200],
                    role="owner" if count == 0 else "founder",
                    created_at=func.now(),
                )
                .on_conflict_do_nothing(index_elements=["team_id", "platform", "user_key"])
            )
            row = (await self.execute(query)).first()
        assert row is not None
        return int(row[0]), str(row[1])

    async def team_of_chat(self, digest_chat: str) -> TeamProfile | None:
        """The team whose digest channel this chat is."""
        found = (await self.execute(select(t.Team.id).where(t.Team.digest_chat == digest_chat))).first()
        return None if found is None else await self.team(int(found[0]))
