"""Interviews over SQL: core.app.ports.InterviewRepository (the engine's effects, a saved interview's record)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlmodel import col

from core.analytics.items import normalize_item, resolved_merges
from core.app.ports import Conversation
from core.board.reader import ItemFilter
from core.domain import InterviewRecord, InterviewSummary, evidence_dated
from core.interview.effects import (
    AnswerRemoved,
    AnswerSaved,
    Effect,
    InterviewCompleted,
    InterviewStarted,
    InterviewStatusChanged,
)
from core.interview.offers import OFFERED, Suggestions, offered_pains
from storage import tables as t
from storage.board_items import BoardItems
from storage.executor import Executor, SqlRepository
from storage.hypothesis_repo import SqlHypotheses
from storage.reads import read_interviews
from storage.search_index import index_interview
from storage.statements import hot_statements
from storage.tally import digest
from storage.tally_write import count_completed, read_merges


class SqlInterviews(SqlRepository, BoardItems):
    """Implements core.app.ports.InterviewRepository on one open transaction (reading top pains as the board does)."""

    def __init__(self, execute: Executor, dialect: str, hypotheses: SqlHypotheses) -> None:
        super().__init__(execute, dialect)
        self.hot = hot_statements(dialect)
        self.hypotheses = hypotheses

    async def summaries(self, team_id: int) -> list[InterviewSummary]:
        """The team's interviews with their answers and records, oldest first."""
        return await read_interviews(self.execute, team_id)

    async def suggestions(self, team_id: int) -> Suggestions:
        """The segments of most saved interviews (latest first on a tie); the pains most named, after /merge."""
        interview = t.Interview
        segment = col(interview.segment)
        segments = await self.execute(
            select(segment)
            .where(col(interview.team_id) == team_id, col(interview.status) == "completed", segment.is_not(None))
            .group_by(segment)
            .order_by(func.count().desc(), func.max(col(interview.completed_at)).desc(), segment)
            .limit(OFFERED)
        )
        merged = resolved_merges(await read_merges(self.execute, team_id))
        groups = await self.top_items(team_id, ItemFilter("pain"), merged, OFFERED)  # counted after /merge
        pains = offered_pains(((g.interviewees, [(w.key, w.text) for w in g.wordings]) for g in groups), merged)
        return Suggestions(tuple(row[0] for row in segments), pains)

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
        items = [
            _item(
                interview_id,
                team_id,
                "job",
                n,
                job.text,
                details={"when": job.when, "want": job.want, "so_that": job.so_that, "type": job.type},
            )
            for n, job in enumerate(record.jobs)
        ]
        items += [
            _item(interview_id, team_id, "pain", n, pain.text, severity=pain.severity, frequency=pain.frequency)
            for n, pain in enumerate(record.pains)
        ]
        items += [_item(interview_id, team_id, "gain", n, gain.text) for n, gain in enumerate(record.gains)]
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
            hypothesis_id: int | None
            if link.new_statement:
                if founder is None:
                    founder = await self.hypotheses.founder_name(interview_id)
                hypothesis_id, code = await self.hypotheses.create(team_id, link.new_statement, at, founder)
            else:
                code = link.hypothesis or "?"
                found = await self.execute(
                    select(col(t.Hypothesis.id)).where(
                        col(t.Hypothesis.team_id) == team_id, col(t.Hypothesis.code) == code
                    )
                )
                hypothesis_id = found.scalar_one_or_none()
            evidence.append(
                {
                    "interview_id": interview_id,
                    "team_id": team_id,
                    "happened_at": evidence_dated(record.interview_date, at),
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
        await index_interview(self.execute, self.dialect, interview_id, team_id, record)


def _item(
    interview_id: str,
    team_id: int,
    kind: str,
    position: int,
    text: str,
    *,
    severity: int | None = None,
    frequency: str | None = None,
    details: dict[str, str | None] | None = None,
) -> dict[str, object]:
    """The parameters of hot_statements' insert_item for one job, pain or gain."""
    key = normalize_item(text)
    return {
        "p_interview": interview_id,
        "p_team": team_id,
        "p_kind": kind,
        "p_position": position,
        "p_text": text,
        "p_norm_key": key,
        "p_key_hash": digest(key),
        "p_severity": severity,
        "p_frequency": frequency,
        "p_details": details,
    }
