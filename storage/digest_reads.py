"""core.app.ports.DigestReads over SQL: what changed in a period, each read one aggregate statement on indexes.

The statements are built once (their values are bind parameters), as storage.board_counts builds the board's:
building a SQLAlchemy statement costs more than running it on a small team.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import DateTime, Integer, Select, String, TypeDecorator, bindparam, exists, func, select, union_all
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from core.app.ports import PeriodCounts
from core.domain import SURVEY_SCRIPT
from storage.board_tables import table
from storage.executor import SqlRepository, all_finished, utc
from storage.tally import digest

IV, ITEM, EV, TEAM = table("interview").c, table("item").c, table("evidence").c, table("team").c
_TEAM, _KIND = bindparam("p_team", type_=Integer), bindparam("p_kind", type_=String)


class Moment(TypeDecorator[datetime]):
    """A moment bound for comparing with a stored one. PostgreSQL compares timestamps; SQLite compares text, and a
    moment is stored there as "YYYY-MM-DD HH:MM:SS" followed by ".ffffff", "+00:00", both or neither (SQLAlchemy and
    the raw driver write it differently), so the bound is that text cut after the seconds when it has no
    microseconds: it then sorts before every form of its own second and after every earlier one."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """Text on SQLite, a timestamp elsewhere."""
        return dialect.type_descriptor(String() if dialect.name == "sqlite" else DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        """The moment in UTC; on SQLite, as text that sorts against every stored form."""
        if value is None or dialect.name != "sqlite":
            return value
        at = utc(value)
        return at.strftime("%Y-%m-%d %H:%M:%S") + (at.strftime(".%f") if at.microsecond else "")


_START, _END, _BEFORE = (bindparam(name, type_=Moment()) for name in ("p_start", "p_end", "p_before"))
_HAPPENED = func.coalesce(IV.completed_at, IV.started_at)
"""When a completed interview happened (as the board counts it)."""
_DONE = IV.team_id == _TEAM, IV.status == "completed", IV.script != SURVEY_SCRIPT

_TEAMS = select(TEAM.id, TEAM.slug, TEAM.name).order_by(TEAM.id)
_FOUNDERS = union_all(  # each an index range: ix_interview_done, and ix_interview_latest for the undated ones
    select(IV.member_id, func.count())
    .where(*_DONE, IV.completed_at >= _START, IV.completed_at < _END)
    .group_by(IV.member_id),
    select(IV.member_id, func.count())
    .where(*_DONE, IV.completed_at.is_(None), IV.started_at >= _START, IV.started_at < _END)
    .group_by(IV.member_id),
)  # fmt: skip
_EVIDENCE = (  # ix_evidence_dated
    select(EV.hypothesis_code, EV.stance, func.count())
    .where(EV.team_id == _TEAM, EV.happened_at >= _START, EV.happened_at < _END)
    .group_by(EV.hypothesis_code, EV.stance)
)


@cache
def _mentioned_statement(groups: int) -> Select[Any]:
    """One probe per group: its name if a completed interview that happened before the bound mentions one of its
    keys (ix_item_board; EXISTS stops at the first mention)."""
    probes = [
        select(bindparam(f"p_group_{n}", type_=String)).where(
            exists(
                select(ITEM.id)
                .join_from(table("item"), table("interview"), IV.id == ITEM.interview_id)
                .where(
                    ITEM.team_id == _TEAM,
                    ITEM.kind == _KIND,
                    ITEM.key_hash.in_(bindparam(f"p_hashes_{n}", expanding=True)),
                    ITEM.norm_key.in_(bindparam(f"p_keys_{n}", expanding=True)),
                    IV.status == "completed",
                    _HAPPENED < _BEFORE,
                )
            )
        )
        for n in range(groups)
    ]
    return union_all(*probes) if groups > 1 else probes[0]  # type: ignore[return-value]


class SqlDigestReads(SqlRepository):
    """Implements core.app.ports.DigestReads on one open transaction (a read snapshot for the digest)."""

    async def teams(self) -> list[tuple[int, str, str]]:
        """Every team as (id, slug, name), by id."""
        return [(team_id, slug, name) for team_id, slug, name in await self.execute(_TEAMS)]

    async def period(self, team_id: int, start: datetime, end: datetime) -> PeriodCounts:
        """Interviews per founder and pieces of evidence in the period."""
        params = {"p_team": team_id, "p_start": utc(start), "p_end": utc(end)}
        if getattr(self.execute, "concurrent", False):  # storage.pipelined: both in one round trip
            people, pieces = await all_finished(self.execute(_FOUNDERS, params), self.execute(_EVIDENCE, params))
        else:
            people, pieces = await self.execute(_FOUNDERS, params), await self.execute(_EVIDENCE, params)
        founders: dict[int, int] = {}
        for member_id, count in people:
            founders[member_id] = founders.get(member_id, 0) + count
        evidence: dict[str, dict[str, int]] = {}
        for code, stance, count in pieces:
            evidence.setdefault(code, {})[stance] = count
        return PeriodCounts(founders=founders, evidence=evidence)

    async def mentioned_before(
        self, team_id: int, kind: str, groups: Mapping[str, Sequence[str]], before: datetime
    ) -> set[str]:
        """Which item groups an interview that happened before `before` mentions, in one statement (a new group has
        only the period's few mentions to look through)."""
        if not groups:
            return set()
        params: dict[str, Any] = {"p_team": team_id, "p_kind": kind, "p_before": utc(before)}
        for n, (group, keys) in enumerate(groups.items()):
            params |= {f"p_group_{n}": group, f"p_hashes_{n}": [digest(k) for k in keys], f"p_keys_{n}": list(keys)}
        return {group for (group,) in await self.execute(_mentioned_statement(len(groups)), params)}
