"""Teams and who is in them over SQL: profiles, joining (by slug or invite), members, roles, a group's team."""

from __future__ import annotations

import secrets
from dataclasses import fields
from typing import Any

from sqlalchemy import CursorResult, func, select, update
from sqlmodel import col

from core.board.team import ROLES, MemberInfo, Membership, Role, TeamProfile
from storage import tables as t
from storage.executor import Rows, SqlRepository, aware
from storage.statements import hot_statements

_PROFILE_FIELDS = tuple(field.name for field in fields(TeamProfile))


def profile(row: Any) -> TeamProfile:
    """A team row (or a row holding its columns) as core's TeamProfile."""
    values = row._mapping
    found = {name: values[name] for name in _PROFILE_FIELDS}
    found["digest_set_at"] = aware(found["digest_set_at"])  # SQLite hands back naive UTC
    return TeamProfile(**found)


def changed_rows(result: Rows) -> int:
    """How many rows an UPDATE or DELETE touched."""
    assert isinstance(result, CursorResult), "UPDATE and DELETE run through SQLAlchemy, not the fast path"
    return result.rowcount


class SqlMembership(SqlRepository):
    """The membership part of core.board.team.TeamRepository on one transaction (SqlTeams adds the rest)."""

    async def team(self, team_id: int) -> TeamProfile:
        """The team's settings; LookupError for an unknown team."""
        row = (await self.execute(select(t.Team).where(col(t.Team.id) == team_id))).first()
        if row is None:
            raise LookupError(f"no team {team_id}")
        return profile(row)

    async def join_team(
        self, platform: str, user: str, display_name: str, team_slug: str, team_name: str | None = None
    ) -> Membership:
        """The founder's membership, creating the team (first member owns it) and the member as needed."""
        # A person's first message after their first App Home visit joins again: one read instead of three.
        params = {"p_slug": team_slug, "p_platform": platform, "p_user": user}
        seat = (await self.execute(hot_statements(self.dialect).seat, params)).first()
        if seat is not None:
            return Membership(team_id=int(seat[0]), team_slug=team_slug, member_id=int(seat[1]))
        await self.execute(
            self.insert(t.Team)
            .values(slug=team_slug, name=(team_name or team_slug)[:200], created_at=func.now())
            .on_conflict_do_nothing(index_elements=["slug"])
        )
        team_id = (await self.execute(select(col(t.Team.id)).where(col(t.Team.slug) == team_slug))).scalar_one()
        member_id, _role = await self.add_member(team_id, platform, user, display_name)
        return Membership(team_id=team_id, team_slug=team_slug, member_id=member_id)

    async def members(self, team_id: int) -> list[MemberInfo]:
        """Everyone in the team, by id."""
        rows = await self.execute(
            select(
                col(t.Member.id),
                col(t.Member.display_name),
                col(t.Member.role),
                col(t.Member.platform),
                col(t.Member.user_key),
            )
            .where(col(t.Member.team_id) == team_id)
            .order_by(col(t.Member.id))
        )
        return [MemberInfo(row.id, row.display_name, row.role, row.platform, row.user_key) for row in rows]

    async def member_role(self, member_id: int) -> str:
        """A member's role ("founder" when the member is gone)."""
        role = (await self.execute(hot_statements(self.dialect).member_role, {"p_member": member_id})).first()
        return str(role[0]) if role else "founder"

    async def set_role(self, team_id: int, member_id: int, role: Role) -> None:
        """Change a member's role; ValueError for an unknown role, LookupError when they are not in the team."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        result = await self.execute(
            update(t.Member).where(col(t.Member.team_id) == team_id, col(t.Member.id) == member_id).values(role=role)
        )
        if changed_rows(result) == 0:
            raise LookupError(f"no member {member_id} in team {team_id}")

    async def teams_of(self, platform: str, user: str) -> list[tuple[TeamProfile, int, str]]:
        """Every team this person belongs to, with their member id and role there, by team id."""
        rows = await self.execute(
            select(t.Team, col(t.Member.id).label("member_id"), col(t.Member.role).label("member_role"))
            .join(t.Member, col(t.Member.team_id) == col(t.Team.id))
            .where(col(t.Member.platform) == platform, col(t.Member.user_key) == user)
            .order_by(col(t.Team.id))
        )
        return [(profile(row), row.member_id, row.member_role) for row in rows]

    async def invite_code(self, team_id: int) -> str:
        """The team's invite code, made on first use."""
        query = select(col(t.Team.invite_code)).where(col(t.Team.id) == team_id)
        found = (await self.execute(query)).scalar_one_or_none()
        return str(found) if found else await self.rotate_invite(team_id)

    async def rotate_invite(self, team_id: int) -> str:
        """A fresh invite code for the team; links with the old one stop working."""
        code = secrets.token_urlsafe(9)  # 12 URL-safe characters: deep links allow [A-Za-z0-9_-]
        await self.execute(update(t.Team).where(col(t.Team.id) == team_id).values(invite_code=code))
        return code

    async def team_by_invite(self, code: str) -> TeamProfile | None:
        """The team an invite code opens, if any."""
        query = select(col(t.Team.id)).where(col(t.Team.invite_code) == code)
        found = (await self.execute(query)).scalar_one_or_none()
        return None if found is None else await self.team(int(found))

    async def add_member(self, team_id: int, platform: str, user: str, name: str) -> tuple[int, str]:
        """Put a person in a team (as founder; the first one owns it); their member id and role.

        Safe against a concurrent first message from the same person: the insert yields to theirs."""
        query = select(col(t.Member.id), col(t.Member.role)).where(
            col(t.Member.team_id) == team_id, col(t.Member.platform) == platform, col(t.Member.user_key) == user
        )
        row = (await self.execute(query)).first()
        if row is None:
            count = (await self.execute(select(func.count()).where(col(t.Member.team_id) == team_id))).scalar_one()
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
        query = select(col(t.Team.id)).where(col(t.Team.digest_chat) == digest_chat)
        found = (await self.execute(query)).first()
        return None if found is None else await self.team(int(found[0]))
