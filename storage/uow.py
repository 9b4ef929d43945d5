"""The unit of work: every change one incoming message makes, as SQL on one connection, through its repositories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlmodel import col

from core.analytics.items import normalize_item
from core.app.ports import Conversation
from core.domain import InterviewRecord, InterviewSummary
from core.interview.effects import (
    AnswerRemoved,
    AnswerSaved,
    Effect,
    InterviewCompleted,
    InterviewStarted,
    InterviewStatusChanged,
)
from storage import tables as t
from storage.board_query import BoardQuery
from storage.conversation_repo import SqlConversations, SqlEvents
from storage.executor import Executor, SqlRepository, insert_for
from storage.hypothesis_repo import SqlHypotheses
from storage.outbox_repo import SqlOutbox
from storage.reads import read_interviews
from storage.statements import hot_statements
from storage.tally_write import count_completed
from storage.team_repo import SqlTeams, key_hash

__all__ = ["Executor", "SqlInterviews", "SqlUnitOfWork", "hot_statements"]


class SqlInterviews(SqlRepository):
    """Implements core.app.ports.InterviewRepository on one open transaction."""

    def __init__(self, execute: Executor, dialect: str, hypotheses: SqlHypotheses) -> None:
        super().__init__(execute, dialect)
        self.hot = hot_statements(dialect)
        self.hypotheses = hypotheses

    async def summaries(self, team_id: int) -> list[InterviewSummary]:
        """The team's interviews with their answers and records, oldest first."""
        return await read_interviews(self.execute, team_id)

    if not TYPE_CHECKING:  # transitional, invisible to mypy: the unit of work's old `interviews(team_id)`

        def __call__(self, team_id: int) -> Any:
            return self.summaries(team_id)

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
                        col(t.Answer.interview_id) == effect.interview_id,
                        col(t.Answer.question_id) == effect.question_id,
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
                    founder = await self.hypotheses.founder_name(interview_id)
                hypothesis_id, code = await self.hypotheses.create(team_id, link.new_statement, at, founder)
            else:
                code = link.hypothesis or "?"
                found = await self.execute(
                    select(t.Hypothesis.id).where(t.Hypothesis.team_id == team_id, t.Hypothesis.code == code)
                )
                hypothesis_id = found.scalar_one_or_none()
            evidence.append(
                {
                    "interview_id": interview_id,
                    "team_id": team_id,
                    "happened_at": at,
                    "alias": record.alias,
                    "hypothesis_id": hypothesis_id,
                    "hypothesis_code": code,
                    "stance": link.stance,
                    "strength": link.strength,
                    "quote": link.quote,
                }
            )
        if evidence:
            await self.execute(self.insert(t.Evidence), evidence)
        await count_completed(self.execute, self.dialect, team_id, interview_id)


class SqlUnitOfWork:
    """Implements core.app.ports.UnitOfWork over one open transaction: a repository per aggregate, one connection."""

    def __init__(self, execute: Executor, dialect: str) -> None:
        self.execute = execute
        self.dialect = dialect
        self.insert = insert_for(dialect)
        self.events = SqlEvents(execute, dialect)
        self.conversations = SqlConversations(execute, dialect)
        self.teams = SqlTeams(execute, dialect, BoardQuery(execute, dialect))
        self.hypotheses = SqlHypotheses(execute, dialect)
        self.interviews = SqlInterviews(execute, dialect, self.hypotheses)
        self.outbox = SqlOutbox(execute, dialect)

    if not TYPE_CHECKING:  # transitional, invisible to mypy: see _FLAT_NAMES

        def __getattr__(self, name: str) -> Any:
            found = _FLAT_NAMES.get(name)
            if found is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            repository, method = found
            return getattr(getattr(self, repository), method)


_FLAT_NAMES: dict[str, tuple[str, str]] = {
    **{
        name: ("teams", name)
        for name in (
            "team",
            "update_team",
            "join_team",
            "members",
            "set_role",
            "add_member",
            "board",
            "merges",
            "add_merge",
            "funnel_logs",
            "log_funnel",
            "phase_changes",
            "change_phase",
            "ticks",
            "tick",
        )
    },
    "hypotheses_full": ("hypotheses", "all"),
    "add_hypothesis": ("hypotheses", "add"),
    "set_status": ("hypotheses", "set_status"),
    "pivot": ("hypotheses", "pivot"),
}
"""The unit of work's old flat methods, still answered for the board-speed work in progress (tests/board_reference.py,
tests/storage/test_board_query.py, bench/board.py), which moves to the repositories when it lands; then this goes."""
