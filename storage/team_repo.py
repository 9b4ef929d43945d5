"""core.board.team.TeamRepository over SQL: team settings, members, item merges, funnel logs, phases and gate ticks.

The hypothesis methods live in storage.hypothesis_repo; SqlUnitOfWork inherits both, so the board's reads and
changes run inside the unit of work of one message.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, select, update

from core.analytics.funnel import FunnelLog
from core.board.team import ROLES, MemberInfo, PhaseChange, Role, TeamProfile
from core.domain import InterviewSummary
from storage import tables as t
from storage.executor import Executor, aware, utc
from storage.hypothesis_repo import HypothesisRepo
from storage.membership_repo import MembershipRepo
from storage.reads import read_interviews

SETTABLE_TEAM_FIELDS = frozenset(
    {
        "name",
        "timezone",
        "language",
        "weekly_target",
        "goal_total",
        "target_segment",
        "gates_yaml",
        "phase",
        "digest_chat",
        "digest_weekday",
        "digest_hour",
    }
)
"""TeamProfile fields update_team may change (id and slug never change)."""

_PROFILE_FIELDS = tuple(field.name for field in fields(TeamProfile))


def _profile(row: Any) -> TeamProfile:
    values = row._mapping
    return TeamProfile(**{name: values[name] for name in _PROFILE_FIELDS})


def _read(at: datetime | None) -> datetime:
    value = aware(at)
    assert value is not None
    return value


def key_hash(key: str) -> str:
    """The SHA-256 of an item key: what makes (team, key) unique, however long the key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class TeamRepo(HypothesisRepo, MembershipRepo):
    """Implements core.board.team.TeamRepository; mixed into the unit of work."""

    execute: Executor
    insert: Any

    async def team(self, team_id: int) -> TeamProfile:
        """The team's settings; LookupError for an unknown team."""
        row = (await self.execute(select(t.Team).where(t.Team.id == team_id))).first()
        if row is None:
            raise LookupError(f"no team {team_id}")
        return _profile(row)

    async def update_team(self, team_id: int, **changes: object) -> None:
        """Change settings; ValueError naming any field that cannot be changed, LookupError for an unknown team."""
        unknown = set(changes) - SETTABLE_TEAM_FIELDS
        if unknown:
            raise ValueError(f"cannot change team field(s): {', '.join(sorted(unknown))}")
        if not changes:
            return
        result = await self.execute(update(t.Team).where(t.Team.id == team_id).values(**changes))  # type: ignore[arg-type]
        if result.rowcount == 0:
            raise LookupError(f"no team {team_id}")

    async def members(self, team_id: int) -> list[MemberInfo]:
        """Everyone in the team, by id."""
        rows = await self.execute(
            select(t.Member.id, t.Member.display_name, t.Member.role, t.Member.platform)
            .where(t.Member.team_id == team_id)
            .order_by(t.Member.id)  # type: ignore[arg-type]
        )
        return [MemberInfo(row.id, row.display_name, row.role, row.platform) for row in rows]

    async def set_role(self, team_id: int, member_id: int, role: Role) -> None:
        """Change a member's role; ValueError for an unknown role, LookupError when they are not in the team."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        result = await self.execute(
            update(t.Member).where(t.Member.team_id == team_id, t.Member.id == member_id).values(role=role)
        )
        if result.rowcount == 0:
            raise LookupError(f"no member {member_id} in team {team_id}")

    async def teams_of(self, platform: str, user: str) -> list[tuple[TeamProfile, int, str]]:
        """Every team this person belongs to, with their member id and role there, by team id."""
        rows = await self.execute(
            select(t.Team, t.Member.id.label("member_id"), t.Member.role.label("member_role"))  # type: ignore[union-attr]
            .join(t.Member, t.Member.team_id == t.Team.id)  # type: ignore[arg-type]
            .where(t.Member.platform == platform, t.Member.user_key == user)
            .order_by(t.Team.id)  # type: ignore[arg-type]
        )
        return [(_profile(row), row.member_id, row.member_role) for row in rows]

    async def interviews(self, team_id: int) -> list[InterviewSummary]:
        """The team's interviews with their records, oldest first."""
        return await read_interviews(self.execute, team_id)

    async def merges(self, team_id: int) -> dict[str, str]:
        """Explicit item merges: normalized key -> key it was merged into."""
        rows = await self.execute(
            select(t.ItemMerge.key, t.ItemMerge.into).where(t.ItemMerge.team_id == team_id).order_by(t.ItemMerge.id)  # type: ignore[arg-type]
        )
        return {row.key: row.into for row in rows}

    async def add_merge(self, team_id: int, key: str, into: str, by: str, at: datetime) -> None:
        """Record that one item is the same as another; merging a key again replaces its target."""
        statement = self.insert(t.ItemMerge).values(
            team_id=team_id, key_hash=key_hash(key), key=key, into=into, by_name=by[:200], at=utc(at)
        )
        excluded = statement.excluded
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["team_id", "key_hash"],
                set_={"into": excluded.into, "by_name": excluded.by_name, "at": excluded.at},
            )
        )

    async def funnel_logs(self, team_id: int) -> list[FunnelLog]:
        """Every logged funnel count, oldest first."""
        rows = await self.execute(
            select(t.FunnelLogRow.step, t.FunnelLogRow.count, t.FunnelLogRow.segment, t.FunnelLogRow.at)
            .where(t.FunnelLogRow.team_id == team_id)
            .order_by(t.FunnelLogRow.at, t.FunnelLogRow.id)  # type: ignore[arg-type]
        )
        return [FunnelLog(cast(Any, row.step), row.count, row.segment, _read(row.at)) for row in rows]

    async def log_funnel(self, team_id: int, log: FunnelLog, by: str) -> None:
        """Add a funnel count (FunnelLog checks its step and count)."""
        await self.execute(
            self.insert(t.FunnelLogRow).values(
                team_id=team_id,
                step=log.step,
                count=log.count,
                segment=log.segment,
                by_name=by[:200],
                at=utc(log.at),
            )
        )

    async def phase_changes(self, team_id: int) -> list[PhaseChange]:
        """The team's phase history, oldest first."""
        rows = await self.execute(
            select(t.PhaseChangeRow)
            .where(t.PhaseChangeRow.team_id == team_id)
            .order_by(t.PhaseChangeRow.at, t.PhaseChangeRow.id)  # type: ignore[arg-type]
        )
        return [
            PhaseChange(_read(row.at), row.from_phase, row.to_phase, row.by_name, row.override_reason) for row in rows
        ]

    async def change_phase(self, team_id: int, change: PhaseChange) -> None:
        """Move the team to another phase and record it; LookupError for an unknown team."""
        result = await self.execute(update(t.Team).where(t.Team.id == team_id).values(phase=change.to_phase))
        if result.rowcount == 0:
            raise LookupError(f"no team {team_id}")
        await self.execute(
            self.insert(t.PhaseChangeRow).values(
                team_id=team_id,
                at=utc(change.at),
                from_phase=change.from_phase,
                to_phase=change.to_phase,
                by_name=change.by[:200],
                override_reason=change.override_reason,
            )
        )

    async def ticks(self, team_id: int) -> set[str]:
        """Manual gate items the team has ticked, as "phase.item"."""
        rows = await self.execute(select(t.GateTick.phase, t.GateTick.item).where(t.GateTick.team_id == team_id))
        return {f"{row.phase}.{row.item}" for row in rows}

    async def tick(self, team_id: int, phase: str, item: str, by: str, at: datetime, done: bool = True) -> None:
        """Tick (or untick) a manual gate item; ticking twice keeps the first tick."""
        if done:
            await self.execute(
                self.insert(t.GateTick)
                .values(team_id=team_id, phase=phase, item=item, by_name=by[:200], at=utc(at))
                .on_conflict_do_nothing(index_elements=["team_id", "phase", "item"])
            )
        else:
            await self.execute(
                delete(t.GateTick).where(
                    t.GateTick.team_id == team_id,  # type: ignore[arg-type]
                    t.GateTick.phase == phase,  # type: ignore[arg-type]
                    t.GateTick.item == item,  # type: ignore[arg-type]
                )
            )
