"""Reading interviews back as core types (for export and the board)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Mapped
from sqlmodel import col

from core.app.export_data import ExportData
from core.domain import (
    Commitment,
    EvidenceLink,
    Gain,
    InterviewRecord,
    InterviewSummary,
    Job,
    Pain,
    PriceAnswers,
)
from storage import tables as t
from storage.executor import Executor, aware
from storage.read_backup import read_hypotheses, read_teams


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).normalize()


async def read_export(execute: Executor, team_slug: str | None) -> ExportData:
    """Everything `cusdev export` writes, optionally for one team: a whole backup of each team."""
    team_filter = [col(t.Team.slug) == team_slug] if team_slug else []
    teams = (await execute(select(t.Team).where(*team_filter).order_by(col(t.Team.id)))).all()
    team_ids = [row.id for row in teams]
    slugs = {row.id: row.slug for row in teams}
    members = (
        await execute(select(t.Member).where(col(t.Member.team_id).in_(team_ids)).order_by(col(t.Member.id)))
    ).all()
    return ExportData(
        teams=await read_teams(execute, list(teams), list(members)),
        interviews=await _interviews(execute, team_ids, slugs, {member.id: member for member in members}),
        hypotheses=await read_hypotheses(execute, team_ids, slugs),
    )


async def read_interviews(execute: Executor, team_id: int) -> list[InterviewSummary]:
    """One team's interviews with their answers and records, oldest first."""
    slug = (await execute(select(col(t.Team.slug)).where(col(t.Team.id) == team_id))).scalar_one_or_none()
    if slug is None:
        return []
    members = await execute(
        select(col(t.Member.id), col(t.Member.display_name), col(t.Member.platform), col(t.Member.user_key)).where(
            col(t.Member.team_id) == team_id
        )
    )
    return await _interviews(execute, [team_id], {team_id: slug}, {row.id: row for row in members})


async def _interviews(
    execute: Executor, team_ids: list[int], slugs: dict[int, str], members: dict[int, Any]
) -> list[InterviewSummary]:
    """The teams' interviews; `members` are member rows (id, display_name, platform, user_key) by id."""
    interviews = (
        await execute(
            select(t.Interview)
            .where(col(t.Interview.team_id).in_(team_ids))
            .order_by(col(t.Interview.started_at), col(t.Interview.id))
        )
    ).all()
    by_interview = await _children(execute, [interview.id for interview in interviews])
    return [
        _summary(interview, slugs[interview.team_id], members.get(interview.member_id), by_interview)
        for interview in interviews
    ]


async def _children(execute: Executor, ids: list[str]) -> dict[str, dict[str, list[Any]]]:
    children: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return children
    by_interview: tuple[tuple[Any, str, Mapped[str], Sequence[Mapped[int | None]]], ...] = (
        (t.Answer, "answers", col(t.Answer.interview_id), ()),
        (t.Item, "items", col(t.Item.interview_id), (col(t.Item.id),)),
        (t.PriceAnswer, "price", col(t.PriceAnswer.interview_id), ()),
        (t.Commitment, "commitments", col(t.Commitment.interview_id), (col(t.Commitment.id),)),
        (t.Evidence, "evidence", col(t.Evidence.interview_id), (col(t.Evidence.id),)),
    )
    for table, name, interview_id, order in by_interview:
        rows = (await execute(select(table).where(interview_id.in_(ids)).order_by(*order))).all()
        for row in rows:
            children[row.interview_id][name].append(row)
    return children


def _summary(interview: Any, team: str, member: Any, children: dict[str, dict[str, list[Any]]]) -> InterviewSummary:
    """An interview row (the columns of t.Interview) with its member's row and its children as an InterviewSummary."""
    mine = children.get(interview.id, {})
    items = sorted(mine.get("items", []), key=lambda item: (item.kind, item.position))
    jobs = tuple(
        Job(item.text, **{k: (item.details or {}).get(k) for k in ("when", "want", "so_that", "type")})
        for item in items
        if item.kind == "job"
    )
    pains = tuple(Pain(item.text, item.severity, item.frequency) for item in items if item.kind == "pain")
    gains = tuple(Gain(item.text) for item in items if item.kind == "gain")
    price_rows = mine.get("price", [])
    price = PriceAnswers()
    if price_rows:
        row = price_rows[0]
        price = PriceAnswers(
            spends_now=_money(row.spends_now),
            too_cheap=_money(row.too_cheap),
            bargain=_money(row.bargain),
            getting_expensive=_money(row.getting_expensive),
            too_expensive=_money(row.too_expensive),
            currency=row.currency,
        )
    record = InterviewRecord(
        alias=interview.alias,
        segment=interview.segment,
        role=interview.role,
        met_via=interview.met_via,
        interview_date=interview.interview_date,
        jobs=jobs,
        pains=pains,
        gains=gains,
        price=price,
        commitments=tuple(
            Commitment(cast(Any, c.kind), c.note, _money(c.amount), c.currency) for c in mine.get("commitments", [])
        ),
        evidence=tuple(
            EvidenceLink(cast(Any, e.stance), cast(Any, e.strength), hypothesis=e.hypothesis_code, quote=e.quote)
            for e in mine.get("evidence", [])
        ),
        quote=interview.quote,
        sean_ellis=interview.sean_ellis,
    )
    started = aware(interview.started_at)
    assert started is not None
    return InterviewSummary(
        id=interview.id,
        team=team,
        founder=member.display_name if member is not None else "?",
        script=interview.script,
        status=cast(Any, interview.status),
        started_at=started,
        completed_at=aware(interview.completed_at),
        answers={answer.question_id: answer.value for answer in mine.get("answers", [])},
        record=record,
        lang=interview.lang,
        flags={answer.question_id: list(answer.flags) for answer in mine.get("answers", []) if answer.flags},
        account=None if member is None else (member.platform, member.user_key),
    )
