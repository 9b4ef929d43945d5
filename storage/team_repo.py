"""core.board.team.TeamRepository over SQL: settings, the board, item merges, funnel logs, phases and gate ticks.

Profiles, joining and members come from storage.membership_repo (SqlMembership), which SqlTeams extends.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, select, update
from sqlmodel import col

from core.analytics.funnel import FunnelLog
from core.board.assemble import read_board
from core.board.reader import BoardSource
from core.board.search import InterviewHits, InterviewQuery
from core.board.snapshot import Board
from core.board.team import PhaseChange
from core.transfer.backup import SETTINGS
from storage import tables as t
from storage.digest_repo import SqlDigests
from storage.executor import Executor, aware, utc
from storage.membership_repo import SqlMembership, changed_rows
from storage.search_query import find_interviews
from storage.tally import digest
from storage.tally_write import recount_merges

SETTABLE_TEAM_FIELDS = frozenset({"name", *SETTINGS})
"""TeamProfile fields update_team may change: the name and the settings a backup keeps (id and slug never change)."""


def _read(at: datetime | None) -> datetime:
    value = aware(at)
    assert value is not None
    return value


class SqlTeams(SqlMembership, SqlDigests):
    """Implements core.board.team.TeamRepository on one open transaction; the board is read from `board_source`."""

    def __init__(self, execute: Executor, dialect: str, board_source: BoardSource) -> None:
        super().__init__(execute, dialect)
        self.board_source = board_source

    async def find_interviews(self, team_id: int, query: InterviewQuery, limit: int, offset: int = 0) -> InterviewHits:
        """The team's interviews the query finds, newest first (storage.search_query)."""
        return await find_interviews(self.execute, self.dialect, team_id, query, limit, offset)

    async def board(self, team_id: int, now: datetime, lang: str) -> Board:
        """The team's board computed with aggregates in this transaction (it sees what the transaction changed)."""
        return await read_board(self.board_source, team_id, now, lang)

    async def update_team(self, team_id: int, **changes: object) -> None:
        """Change settings; ValueError naming any field that cannot be changed, LookupError for an unknown team."""
        unknown = set(changes) - SETTABLE_TEAM_FIELDS
        if unknown:
            raise ValueError(f"cannot change team field(s): {', '.join(sorted(unknown))}")
        if not changes:
            return
        result = await self.execute(update(t.Team).where(col(t.Team.id) == team_id).values(**changes))
        if changed_rows(result) == 0:
            raise LookupError(f"no team {team_id}")

    async def merges(self, team_id: int) -> dict[str, str]:
        """Explicit item merges: normalized key -> key it was merged into."""
        rows = await self.execute(
            select(col(t.ItemMerge.key), col(t.ItemMerge.into))
            .where(col(t.ItemMerge.team_id) == team_id)
            .order_by(col(t.ItemMerge.id))
        )
        return {row.key: row.into for row in rows}

    async def known_items(self, team_id: int, keys: Sequence[str]) -> set[str]:
        """Which of these normalized keys a pain, job or gain of a completed interview of the team has."""
        if not keys:
            return set()
        rows = await self.execute(
            select(col(t.Item.norm_key))
            .where(
                col(t.Item.team_id) == team_id,
                col(t.Item.kind).in_(("pain", "job", "gain")),
                col(t.Item.key_hash).in_([digest(key) for key in keys]),
            )
            .distinct()
        )
        return {key for (key,) in rows} & set(keys)

    async def add_merge(self, team_id: int, key: str, into: str, by: str, at: datetime) -> None:
        """Record that one item is the same as another; merging a key again replaces its target."""
        before = await self.merges(team_id)
        statement = self.insert(t.ItemMerge).values(
            team_id=team_id, key_hash=digest(key), key=key, into=into, by_name=by[:200], at=utc(at)
        )
        excluded = statement.excluded
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["team_id", "key_hash"],
                set_={"into": excluded.into, "by_name": excluded.by_name, "at": excluded.at},
            )
        )
        await recount_merges(self.execute, self.dialect, team_id, before, await self.merges(team_id))

    async def funnel_logs(self, team_id: int) -> list[FunnelLog]:
        """Every logged funnel count, oldest first."""
        rows = await self.execute(
            select(
                col(t.FunnelLogRow.step), col(t.FunnelLogRow.count), col(t.FunnelLogRow.segment), col(t.FunnelLogRow.at)
            )
            .where(col(t.FunnelLogRow.team_id) == team_id)
            .order_by(col(t.FunnelLogRow.at), col(t.FunnelLogRow.id))
        )
        return [FunnelLog(cast(Any, step), count, segment, _read(at)) for step, count, segment, at in rows]

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
            .where(col(t.PhaseChangeRow.team_id) == team_id)
            .order_by(col(t.PhaseChangeRow.at), col(t.PhaseChangeRow.id))
        )
        return [
            PhaseChange(_read(row.at), row.from_phase, row.to_phase, row.by_name, row.override_reason) for row in rows
        ]

    async def change_phase(self, team_id: int, change: PhaseChange) -> None:
        """Move the team to another phase and record it; LookupError for an unknown team."""
        result = await self.execute(update(t.Team).where(col(t.Team.id) == team_id).values(phase=change.to_phase))
        if changed_rows(result) == 0:
            raise LookupError(f"no team {team_id}")
        await self.record_phase_change(team_id, change)

    async def record_phase_change(self, team_id: int, change: PhaseChange) -> None:
        """Add a change to the team's phase history (the team's phase itself is not touched: a restore sets it)."""
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
        rows = await self.execute(
            select(col(t.GateTick.phase), col(t.GateTick.item)).where(col(t.GateTick.team_id) == team_id)
        )
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
                    col(t.GateTick.team_id) == team_id,
                    col(t.GateTick.phase) == phase,
                    col(t.GateTick.item) == item,
                )
            )
