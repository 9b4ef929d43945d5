"""The unit of work: every change one incoming message makes, as SQL on one connection."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from core.analytics.items import normalize_item
from core.app.ports import Conversation, Membership
from core.board.assemble import read_board
from core.board.snapshot import Board
from core.domain import HypothesisRef, InterviewRecord
from core.interview.effects import (
    AnswerRemoved,
    AnswerSaved,
    Effect,
    InterviewCompleted,
    InterviewStarted,
    InterviewStatusChanged,
)
from core.interview.state import ConversationState
from storage import tables as t
from storage.board_query import BoardQuery
from storage.executor import Executor
from storage.outbox_repo import SqlOutbox
from storage.statements import hot_statements
from storage.team_repo import TeamRepo, key_hash

__all__ = ["Executor", "SqlUnitOfWork", "hot_statements"]


class SqlUnitOfWork(TeamRepo):
    """Implements core.app.ports.UnitOfWork and core.board.team.TeamRepository over one open transaction."""

    def __init__(self, execute: Executor, dialect: str) -> None:
        self.execute = execute
        self.insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self.dialect = dialect
        self.hot = hot_statements(dialect)
        self.outbox = SqlOutbox(execute, dialect)

    async def board(self, team_id: int, now: datetime, lang: str) -> Board:
        """The team's board computed with aggregates in this transaction (it sees what the transaction changed)."""
        return await read_board(BoardQuery(self.execute, self.dialect), team_id, now, lang)

    async def claim_event(self, event_id: str, at: datetime) -> bool:
        """Record the event id; False if it was processed before."""
        result = await self.execute(self.hot.claim, {"p_event_id": event_id, "p_at": at})
        return result.first() is not None

    async def conversation(self, key: str) -> Conversation | None:
        """The stored conversation, locked on PostgreSQL so one founder's messages apply in order."""
        return await self._conversation(self.hot.conversation, key)

    async def peek_conversation(self, key: str) -> Conversation | None:
        """The stored conversation, not locked (for reads on a snapshot, outside the write path)."""
        return await self._conversation(self.hot.conversation_unlocked, key)

    async def _conversation(self, statement: Any, key: str) -> Conversation | None:
        row = (await self.execute(statement, {"p_key": key})).first()
        if row is None:
            return None
        team_id, member_id, state = row
        state = state if isinstance(state, dict) else json.loads(state)
        return Conversation(key, team_id, member_id, ConversationState.from_dict(state))

    async def join_team(
        self, platform: str, user: str, display_name: str, team_slug: str, team_name: str | None = None
    ) -> Membership:
        """The founder's membership, creating the team (first member owns it) and the member as needed."""
        now = func.now()
        await self.execute(
            self.insert(t.Team)
            .values(slug=team_slug, name=(team_name or team_slug)[:200], created_at=now)
            .on_conflict_do_nothing(index_elements=["slug"])
        )
        team_id = (await self.execute(select(t.Team.id).where(t.Team.slug == team_slug))).scalar_one()
        member_id, _role = await self.add_member(team_id, platform, user, display_name)
        return Membership(team_id=team_id, team_slug=team_slug, member_id=member_id)

    async def create_conversation(self, conversation: Conversation, at: datetime) -> None:
        """Insert a first conversation row unless a concurrent message just did (then theirs stands)."""
        params = {
            "p_key": conversation.key,
            "p_team": conversation.team_id,
            "p_member": conversation.member_id,
            "p_state": conversation.state.to_dict(),
            "p_at": at,
        }
        await self.execute(self.hot.create_conversation, params)

    async def member_role(self, member_id: int) -> str:
        """A member's role ("founder" when the member is gone)."""
        role = (await self.execute(self.hot.member_role, {"p_member": member_id})).first()
        return str(role[0]) if role else "founder"

    async def hypotheses(self, team_id: int) -> tuple[HypothesisRef, ...]:
        """The team's hypotheses that can still take evidence, by number."""
        rows = await self.execute(self.hot.hypotheses, {"p_team": team_id})
        return tuple(HypothesisRef(code, statement, status) for code, statement, status in rows)

    async def record(self, effects: Sequence[Effect], conversation: Conversation) -> None:
        """Apply the engine's effects."""
        for effect in effects:
            if isinstance(effect, AnswerSaved):
                params = {
                    "p_interview": effect.interview_id,
                    "p_question": effect.question_id,
                    "p_value": effect.value,
                    "p_flags": list(effect.flags),
                    "p_at": effect.at,
                }
                await self.execute(self.hot.upsert_answer, params)
            elif isinstance(effect, InterviewStarted):
                params = {
                    "p_id": effect.interview_id,
                    "p_team": conversation.team_id,
                    "p_member": conversation.member_id,
                    "p_script": effect.script_id,
                    "p_version": effect.script_version,
                    "p_lang": effect.lang,
                    "p_at": effect.at,
                }
                await self.execute(self.hot.start_interview, params)
            elif isinstance(effect, AnswerRemoved):
                await self.execute(
                    delete(t.Answer).where(
                        t.Answer.interview_id == effect.interview_id,  # type: ignore[arg-type]
                        t.Answer.question_id == effect.question_id,  # type: ignore[arg-type]
                    )
                )
            elif isinstance(effect, InterviewStatusChanged):
                await self.execute(self.hot.set_status, {"p_id": effect.interview_id, "p_status": effect.status})
            elif isinstance(effect, InterviewCompleted):
                await self.complete(effect.interview_id, effect.record, effect.at, conversation.team_id)

    async def complete(self, interview_id: str, record: InterviewRecord, at: datetime, team_id: int) -> None:
        """Write the structured record of a saved interview (the engine completes an interview once)."""
        await self.execute(
            self.hot.complete_interview,
            {
                "p_id": interview_id,
                "p_at": at,
                "p_alias": record.alias,
                "p_segment": record.segment,
                "p_role": record.role,
                "p_met_via": record.met_via,
                "p_date": record.interview_date,
                "p_quote": record.quote,
                "p_sean_ellis": record.sean_ellis,
            },
        )
        blank = {"p_interview": interview_id, "p_severity": None, "p_frequency": None, "p_details": None}
        items = [
            {
                **blank,
                "p_kind": "job",
                "p_position": n,
                "p_text": job.text,
                "p_details": {"when": job.when, "want": job.want, "so_that": job.so_that},
            }
            for n, job in enumerate(record.jobs)
        ]
        items += [
            {
                **blank,
                "p_kind": "pain",
                "p_position": n,
                "p_text": pain.text,
                "p_severity": pain.severity,
                "p_frequency": pain.frequency,
            }
            for n, pain in enumerate(record.pains)
        ]
        items += [{**blank, "p_kind": "gain", "p_position": n, "p_text": g.text} for n, g in enumerate(record.gains)]
        for item in items:
            key = normalize_item(item["p_text"])
            item.update(p_team=team_id, p_norm_key=key, p_key_hash=key_hash(key))
        if items:
            await self.execute(self.hot.insert_item, items)
        if not record.price.is_empty():
            price = record.price
            await self.execute(
                self.insert(t.PriceAnswer),
                {
                    "interview_id": interview_id,
                    "spends_now": price.spends_now,
                    "too_cheap": price.too_cheap,
                    "bargain": price.bargain,
                    "getting_expensive": price.getting_expensive,
                    "too_expensive": price.too_expensive,
                    "currency": price.currency,
                },
            )
        if record.commitments:
            commitments = [
                {
                    "p_interview": interview_id,
                    "p_kind": c.kind,
                    "p_note": c.note,
                    "p_amount": c.amount,
                    "p_currency": c.currency,
                }
                for c in record.commitments
            ]
            await self.execute(self.hot.insert_commitment, commitments)
        evidence = []
        founder: str | None = None
        for link in record.evidence:
            if link.new_statement:
                if founder is None:
                    founder = await self.founder_name(interview_id)
                hypothesis_id, code = await self.new_hypothesis(team_id, link.new_statement, at, by=founder)
            else:
                code = link.hypothesis or "?"
                found = await self.execute(
                    select(t.Hypothesis.id).where(t.Hypothesis.team_id == team_id, t.Hypothesis.code == code)
                )
                hypothesis_id = found.scalar_one_or_none()
            evidence.append(
                {
                    "interview_id": interview_id,
                    "hypothesis_id": hypothesis_id,
                    "hypothesis_code": code,
                    "stance": link.stance,
                    "strength": link.strength,
                    "quote": link.quote,
                }
            )
        if evidence:
            await self.execute(self.insert(t.Evidence), evidence)

    async def new_hypothesis(self, team_id: int, statement: str, at: datetime, by: str = "") -> tuple[int, str]:
        """Create the team's next hypothesis (H1, H2, ...) with its 'created' event; return its id and code."""
        return await self.create_hypothesis(team_id, statement, at, by)

    async def save_conversation(self, conversation: Conversation, at: datetime) -> None:
        """Insert or update the conversation state."""
        params = {
            "p_key": conversation.key,
            "p_team": conversation.team_id,
            "p_member": conversation.member_id,
            "p_state": conversation.state.to_dict(),
            "p_at": at,
        }
        await self.execute(self.hot.save_conversation, params)

    async def latest_team_of(self, platform: str, user: str) -> int | None:
        """The team of the person's most recently used conversation, if any."""
        row = (
            await self.execute(
                select(t.Conversation.team_id)
                .join(t.Member, t.Member.id == t.Conversation.member_id)  # type: ignore[arg-type]
                .where(t.Member.platform == platform, t.Member.user_key == user)
                .order_by(t.Conversation.updated_at.desc())  # type: ignore[attr-defined]
                .limit(1)
            )
        ).first()
        return None if row is None else int(row[0])
