"""The unit of work: every change one incoming message makes, as SQL on one connection."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Executable, Result, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.domain import HypothesisRef, InterviewRecord
from core.effects import (
    AnswerRemoved,
    AnswerSaved,
    Effect,
    InterviewCompleted,
    InterviewStarted,
    InterviewStatusChanged,
)
from core.messages import Address, Reply, reply_to_dict
from core.ports import Conversation, Membership
from core.state import ConversationState
from storage import tables as t


class Executor(Protocol):
    """Runs one statement: inline on SQLite, awaited on PostgreSQL."""

    async def __call__(self, statement: Executable, params: Any = None) -> Result[Any]: ...


class SqlUnitOfWork:
    """Implements core.ports.UnitOfWork over one open transaction."""

    def __init__(self, execute: Executor, dialect: str) -> None:
        self.execute = execute
        self.insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self.for_update = dialect == "postgresql"

    async def claim_event(self, event_id: str, at: datetime) -> bool:
        """Record the event id; False if it was processed before."""
        statement = (
            self.insert(t.ProcessedEvent)
            .values(event_id=event_id, processed_at=at)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(t.ProcessedEvent.event_id)  # type: ignore[arg-type]
        )
        return (await self.execute(statement)).first() is not None

    async def conversation(self, key: str) -> Conversation | None:
        """The stored conversation, locked on PostgreSQL so one founder's messages apply in order."""
        statement = select(t.Conversation.team_id, t.Conversation.member_id, t.Conversation.state).where(
            t.Conversation.key == key
        )
        if self.for_update:
            statement = statement.with_for_update()
        row = (await self.execute(statement)).first()
        if row is None:
            return None
        state = row.state if isinstance(row.state, dict) else json.loads(row.state)
        return Conversation(key, row.team_id, row.member_id, ConversationState.from_dict(state))

    async def join_team(self, platform: str, user: str, display_name: str, team_slug: str) -> Membership:
        """The founder's membership, creating the team (first member owns it) and the member as needed."""
        now = func.now()
        await self.execute(
            self.insert(t.Team)
            .values(slug=team_slug, name=team_slug, created_at=now)
            .on_conflict_do_nothing(index_elements=["slug"])
        )
        team_id = (await self.execute(select(t.Team.id).where(t.Team.slug == team_slug))).scalar_one()
        existing = await self.execute(
            select(t.Member.id).where(
                t.Member.team_id == team_id, t.Member.platform == platform, t.Member.user_key == user
            )
        )
        member_id = existing.scalar_one_or_none()
        if member_id is None:
            count = (await self.execute(select(func.count()).where(t.Member.team_id == team_id))).scalar_one()
            inserted = await self.execute(
                self.insert(t.Member)
                .values(
                    team_id=team_id,
                    platform=platform,
                    user_key=user,
                    display_name=display_name[:200],
                    role="owner" if count == 0 else "founder",
                    created_at=now,
                )
                .returning(t.Member.id)  # type: ignore[arg-type]
            )
            member_id = inserted.scalar_one()
        return Membership(team_id=team_id, team_slug=team_slug, member_id=member_id)

    async def hypotheses(self, team_id: int) -> tuple[HypothesisRef, ...]:
        """The team's hypotheses that can still take evidence, by number."""
        rows = await self.execute(
            select(t.Hypothesis.code, t.Hypothesis.statement, t.Hypothesis.status)
            .where(t.Hypothesis.team_id == team_id, t.Hypothesis.status != "pivoted")
            .order_by(t.Hypothesis.number)  # type: ignore[arg-type]
        )
        return tuple(HypothesisRef(row.code, row.statement, row.status) for row in rows)

    async def record(self, effects: Sequence[Effect], conversation: Conversation) -> None:
        """Apply the engine's effects."""
        for effect in effects:
            if isinstance(effect, InterviewStarted):
                await self.execute(
                    self.insert(t.Interview).values(
                        id=effect.interview_id,
                        team_id=conversation.team_id,
                        member_id=conversation.member_id,
                        script=effect.script_id,
                        script_version=effect.script_version,
                        lang=effect.lang,
                        status="in_progress",
                        started_at=effect.at,
                    )
                )
            elif isinstance(effect, AnswerSaved):
                statement = self.insert(t.Answer).values(
                    interview_id=effect.interview_id,
                    question_id=effect.question_id,
                    value=effect.value,
                    flags=list(effect.flags),
                    updated_at=effect.at,
                )
                excluded = statement.excluded
                await self.execute(
                    statement.on_conflict_do_update(
                        index_elements=["interview_id", "question_id"],
                        set_={"value": excluded.value, "flags": excluded.flags, "updated_at": excluded.updated_at},
                    )
                )
            elif isinstance(effect, AnswerRemoved):
                await self.execute(
                    delete(t.Answer).where(
                        t.Answer.interview_id == effect.interview_id,  # type: ignore[arg-type]
                        t.Answer.question_id == effect.question_id,  # type: ignore[arg-type]
                    )
                )
            elif isinstance(effect, InterviewStatusChanged):
                await self.execute(
                    update(t.Interview).where(t.Interview.id == effect.interview_id).values(status=effect.status)  # type: ignore[arg-type]
                )
            elif isinstance(effect, InterviewCompleted):
                await self.complete(effect.interview_id, effect.record, effect.at, conversation.team_id)

    async def complete(self, interview_id: str, record: InterviewRecord, at: datetime, team_id: int) -> None:
        """Write the structured record of a saved interview (replacing any earlier one)."""
        await self.execute(
            update(t.Interview)
            .where(t.Interview.id == interview_id)  # type: ignore[arg-type]
            .values(
                status="completed",
                completed_at=at,
                alias=record.alias,
                segment=record.segment,
                role=record.role,
                met_via=record.met_via,
                interview_date=record.interview_date,
                quote=record.quote,
                sean_ellis=record.sean_ellis,
            )
        )
        for table in (t.Item, t.PriceAnswer, t.Commitment, t.Evidence):
            await self.execute(delete(table).where(table.interview_id == interview_id))  # type: ignore[attr-defined]
        items: list[dict[str, Any]] = []
        for position, job in enumerate(record.jobs):
            details = {"when": job.when, "want": job.want, "so_that": job.so_that}
            items.append({"kind": "job", "position": position, "text": job.text, "details": details})
        for position, pain in enumerate(record.pains):
            items.append(
                {
                    "kind": "pain",
                    "position": position,
                    "text": pain.text,
                    "severity": pain.severity,
                    "frequency": pain.frequency,
                }
            )
        for position, gain in enumerate(record.gains):
            items.append({"kind": "gain", "position": position, "text": gain.text})
        if items:
            rows = [
                {"severity": None, "frequency": None, "details": None, **item, "interview_id": interview_id}
                for item in items
            ]
            await self.execute(self.insert(t.Item), rows)
        if not record.price.is_empty():
            price = record.price
            await self.execute(
                self.insert(t.PriceAnswer).values(
                    interview_id=interview_id,
                    spends_now=price.spends_now,
                    too_cheap=price.too_cheap,
                    bargain=price.bargain,
                    getting_expensive=price.getting_expensive,
                    too_expensive=price.too_expensive,
                    currency=price.currency,
                )
            )
        for commitment in record.commitments:
            await self.execute(
                self.insert(t.Commitment).values(
                    interview_id=interview_id,
                    kind=commitment.kind,
                    note=commitment.note,
                    amount=commitment.amount,
                    currency=commitment.currency,
                )
            )
        for link in record.evidence:
            if link.new_statement:
                hypothesis_id, code = await self.new_hypothesis(team_id, link.new_statement, at)
            else:
                code = link.hypothesis or "?"
                found = await self.execute(
                    select(t.Hypothesis.id).where(t.Hypothesis.team_id == team_id, t.Hypothesis.code == code)
                )
                hypothesis_id = found.scalar_one_or_none()
            await self.execute(
                self.insert(t.Evidence).values(
                    interview_id=interview_id,
                    hypothesis_id=hypothesis_id,
                    hypothesis_code=code,
                    stance=link.stance,
                    strength=link.strength,
                    quote=link.quote,
                )
            )

    async def new_hypothesis(self, team_id: int, statement: str, at: datetime) -> tuple[int, str]:
        """Create the team's next hypothesis (H1, H2, ...) and return its id and code."""
        highest = (
            await self.execute(select(func.max(t.Hypothesis.number)).where(t.Hypothesis.team_id == team_id))
        ).scalar_one()
        number = (highest or 0) + 1
        code = f"H{number}"
        inserted = await self.execute(
            self.insert(t.Hypothesis)
            .values(team_id=team_id, code=code, number=number, statement=statement, status="untested", created_at=at)
            .returning(t.Hypothesis.id)  # type: ignore[arg-type]
        )
        return inserted.scalar_one(), code

    async def save_conversation(self, conversation: Conversation, at: datetime) -> None:
        """Insert or update the conversation state."""
        statement = self.insert(t.Conversation).values(
            key=conversation.key,
            team_id=conversation.team_id,
            member_id=conversation.member_id,
            state=conversation.state.to_dict(),
            updated_at=at,
        )
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["key"],
                set_={"state": statement.excluded.state, "updated_at": statement.excluded.updated_at},
            )
        )

    async def enqueue(self, address: Address, replies: Sequence[Reply], at: datetime) -> list[int]:
        """Put replies in the outbox, returning their ids in order."""
        ids = []
        platform, tenant, chat = address
        for reply in replies:
            inserted = await self.execute(
                self.insert(t.Outbox)
                .values(platform=platform, tenant=tenant, chat=chat, payload=reply_to_dict(reply), created_at=at)
                .returning(t.Outbox.id)  # type: ignore[arg-type]
            )
            ids.append(int(inserted.scalar_one()))
        return ids

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        """Mark outbox messages as delivered."""
        if ids:
            await self.execute(
                update(t.Outbox).where(t.Outbox.id.in_(list(ids))).values(sent_at=at)  # type: ignore[union-attr]
            )
