"""Hypotheses with their history and evidence over SQL: core.board.team.HypothesisRepository."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select, update
from sqlmodel import col

from core.board.hypotheses import SETTABLE, EvidenceItem, Hypothesis, HypothesisEvent
from core.domain import HypothesisRef
from storage import tables as t
from storage.executor import SqlRepository, aware, utc
from storage.statements import hot_statements


class SqlHypotheses(SqlRepository):
    """Implements core.board.team.HypothesisRepository on one open transaction."""

    async def linkable(self, team_id: int) -> tuple[HypothesisRef, ...]:
        """The team's hypotheses that can still take evidence, by number."""
        rows = await self.execute(hot_statements(self.dialect).hypotheses, {"p_team": team_id})
        return tuple(HypothesisRef(code, statement, status, block) for code, statement, status, block in rows)

    async def all(self, team_id: int) -> list[Hypothesis]:
        """Every hypothesis (pivoted ones too) with history and evidence, by number."""
        return await self._listed(team_id, with_evidence=True)

    async def without_evidence(self, team_id: int) -> list[Hypothesis]:
        """Every hypothesis with its history, by number, `evidence` left empty (the board counts and lists it apart)."""
        return await self._listed(team_id, with_evidence=False)

    async def _listed(self, team_id: int, with_evidence: bool) -> list[Hypothesis]:
        rows = (
            await self.execute(
                select(t.Hypothesis)
                .where(col(t.Hypothesis.team_id) == team_id)
                .order_by(col(t.Hypothesis.number), col(t.Hypothesis.id))
            )
        ).all()
        codes = {row.id: row.code for row in rows}
        history = await self._history(list(codes))
        evidence = await self._evidence(team_id, codes) if with_evidence else {}
        return [
            Hypothesis(
                code=row.code,
                statement=row.statement,
                status=row.status,
                block=row.block,
                criterion=row.criterion,
                predecessor=codes.get(row.predecessor_id),
                successor=codes.get(row.successor_id),
                history=tuple(history[row.id]),
                evidence=tuple(evidence.get(row.id, ())),
            )
            for row in rows
        ]

    async def _history(self, ids: list[int]) -> dict[int, list[HypothesisEvent]]:
        events: dict[int, list[HypothesisEvent]] = defaultdict(list)
        if not ids:
            return events
        rows = await self.execute(
            select(t.HypothesisEvent)
            .where(col(t.HypothesisEvent.hypothesis_id).in_(ids))
            .order_by(col(t.HypothesisEvent.at), col(t.HypothesisEvent.id))
        )
        for row in rows:
            at = aware(row.at)
            assert at is not None
            kind = cast(Any, row.kind)
            events[row.hypothesis_id].append(
                HypothesisEvent(at, kind, row.by_name, row.status, row.reason, row.successor_code)
            )
        return events

    async def _evidence(self, team_id: int, codes: dict[int, str]) -> dict[int, list[EvidenceItem]]:
        """The team's evidence by hypothesis id; a row saved without an id is matched by its code."""
        evidence: dict[int, list[EvidenceItem]] = defaultdict(list)
        if not codes:
            return evidence
        ids_by_code = {code: hypothesis_id for hypothesis_id, code in codes.items()}
        rows = await self.execute(
            select(
                col(t.Evidence.hypothesis_id),
                col(t.Evidence.hypothesis_code),
                col(t.Evidence.interview_id),
                col(t.Evidence.stance),
                col(t.Evidence.strength),
                col(t.Evidence.quote),
                col(t.Interview.alias),
                col(t.Evidence.happened_at).label("at"),
            )
            .join(t.Interview, col(t.Interview.id) == col(t.Evidence.interview_id))
            .where(col(t.Interview.team_id) == team_id)
            .order_by(col(t.Evidence.id))
        )
        for row in rows:
            hypothesis_id = row.hypothesis_id if row.hypothesis_id in codes else ids_by_code.get(row.hypothesis_code)
            if hypothesis_id is None:
                continue
            at = aware(row.at)
            assert at is not None
            evidence[hypothesis_id].append(
                EvidenceItem(
                    hypothesis=codes[hypothesis_id],
                    interview_id=row.interview_id,
                    interviewee=row.alias,
                    stance=cast(Any, row.stance),
                    strength=cast(Any, row.strength),
                    quote=row.quote,
                    at=at,
                )
            )
        for items in evidence.values():
            items.sort(key=lambda item: item.at)  # stable: same moment keeps insertion order
        return evidence

    async def add(
        self, team_id: int, statement: str, block: str | None, criterion: str | None, by: str, at: datetime
    ) -> str:
        """Create the next hypothesis (H1, H2...); returns its code."""
        _, code = await self.create(team_id, statement, at, by, block=block, criterion=criterion)
        return code

    async def set_status(self, team_id: int, code: str, status: str, reason: str, by: str, at: datetime) -> None:
        """Change a status, recording who, when and why in the history.

        LookupError for an unknown code; ValueError for a pivoted hypothesis or a status a team cannot set.
        """
        if status not in SETTABLE:
            raise ValueError(f"status {status!r} cannot be set directly (one of {', '.join(SETTABLE)})")
        row = await self._locked_hypothesis(team_id, code)
        if row.status == "pivoted":
            raise ValueError(f"{row.code} was pivoted; change its successor instead")
        await self.execute(update(t.Hypothesis).where(col(t.Hypothesis.id) == row.id).values(status=status))
        await self.event(row.id, at, "status", by, status, reason)

    async def pivot(self, team_id: int, code: str, statement: str, reason: str, by: str, at: datetime) -> str:
        """Mark a hypothesis pivoted and create its successor (same block and criterion); returns the new code."""
        await self._lock_team(team_id)
        old = await self._locked_hypothesis(team_id, code)
        if old.status == "pivoted":
            raise ValueError(f"{old.code} was already pivoted")
        new_id, new_code = await self.create(
            team_id,
            statement,
            at,
            by,
            block=old.block,
            criterion=old.criterion,
            predecessor_id=old.id,
            reason=f"pivot of {old.code}: {reason}",
        )
        await self.execute(
            update(t.Hypothesis).where(col(t.Hypothesis.id) == old.id).values(status="pivoted", successor_id=new_id)
        )
        await self.event(old.id, at, "pivoted", by, "pivoted", reason, successor=new_code)
        return new_code

    async def create(
        self,
        team_id: int,
        statement: str,
        at: datetime,
        by: str,
        *,
        block: str | None = None,
        criterion: str | None = None,
        predecessor_id: int | None = None,
        reason: str | None = None,
    ) -> tuple[int, str]:
        """Insert the team's next hypothesis (untested) with its 'created' event; returns its id and code."""
        await self._lock_team(team_id)
        highest = (
            await self.execute(select(func.max(t.Hypothesis.number)).where(col(t.Hypothesis.team_id) == team_id))
        ).scalar_one()
        number = (highest or 0) + 1
        code = f"H{number}"
        inserted = await self.execute(
            self.insert(t.Hypothesis)
            .values(
                team_id=team_id,
                code=code,
                number=number,
                block=block,
                statement=statement,
                criterion=criterion,
                status="untested",
                created_at=utc(at),
                predecessor_id=predecessor_id,
            )
            .returning(col(t.Hypothesis.id))
        )
        hypothesis_id = int(inserted.scalar_one())
        await self.event(hypothesis_id, at, "created", by, "untested", reason)
        return hypothesis_id, code

    async def founder_name(self, interview_id: str) -> str:
        """Who ran an interview ("" when unknown)."""
        found = await self.execute(
            select(col(t.Member.display_name))
            .join(t.Interview, col(t.Interview.member_id) == col(t.Member.id))
            .where(col(t.Interview.id) == interview_id)
        )
        name: str | None = found.scalar_one_or_none()
        return name or ""

    async def _lock_team(self, team_id: int) -> None:
        """Serialize hypothesis numbering per team on PostgreSQL (SQLite's writer lock already does).

        FOR NO KEY UPDATE, so rows that merely reference the team (interviews, members) are not blocked.
        """
        await self.execute(select(col(t.Team.id)).where(col(t.Team.id) == team_id).with_for_update(key_share=True))

    async def _locked_hypothesis(self, team_id: int, code: str) -> Any:
        row = (
            await self.execute(
                select(
                    col(t.Hypothesis.id),
                    col(t.Hypothesis.code),
                    col(t.Hypothesis.status),
                    col(t.Hypothesis.block),
                    col(t.Hypothesis.criterion),
                )
                .where(col(t.Hypothesis.team_id) == team_id, col(t.Hypothesis.code) == code.strip().upper())
                .with_for_update(key_share=True)
            )
        ).first()
        if row is None:
            raise LookupError(f"no hypothesis {code!r} in team {team_id}")
        return row

    async def event(
        self,
        hypothesis_id: int,
        at: datetime,
        kind: str,
        by: str,
        status: str,
        reason: str | None = None,
        successor: str | None = None,
    ) -> None:
        """Add an entry to a hypothesis's history."""
        await self.execute(
            self.insert(t.HypothesisEvent).values(
                hypothesis_id=hypothesis_id,
                at=utc(at),
                kind=kind,
                by_name=by[:200],
                status=status,
                reason=reason,
                successor_code=successor,
            )
        )
