"""Reading interviews back as core types (for export and the board)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import select

from core.app.ports import ExportData, HypothesisInfo, TeamInfo
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
from storage.executor import Executor
from storage.executor import aware as aware  # re-exported: storage.board_query reads it from here


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).normalize()


async def read_export(execute: Executor, team_slug: str | None) -> ExportData:
    """Everything `cusdev export` writes, optionally for one team."""
    team_filter = [t.Team.slug == team_slug] if team_slug else []
    teams = (await execute(select(t.Team.id, t.Team.slug, t.Team.name).where(*team_filter).order_by(t.Team.id))).all()
    team_ids = [row.id for row in teams]
    slugs = {row.id: row.slug for row in teams}
    members = (await execute(select(t.Member).where(t.Member.team_id.in_(team_ids)))).all()  # type: ignore[attr-defined]
    names_by_team: dict[int, list[str]] = defaultdict(list)
    member_names = {}
    for member in members:
        names_by_team[member.team_id].append(member.display_name)
        member_names[member.id] = member.display_name
    summaries = await _interviews(execute, team_ids, slugs, member_names)
    hypotheses = (
        await execute(
            select(t.Hypothesis)
            .where(t.Hypothesis.team_id.in_(team_ids))
            .order_by(t.Hypothesis.team_id, t.Hypothesis.number)  # type: ignore[attr-defined]
        )
    ).all()
    return ExportData(
        teams=[TeamInfo(row.id, row.slug, row.name, tuple(names_by_team[row.id])) for row in teams],
        interviews=summaries,
        hypotheses=[
            HypothesisInfo(slugs[h.team_id], h.code, h.statement, h.status, h.block, h.criterion) for h in hypotheses
        ],
    )


async def read_interviews(execute: Executor, team_id: int) -> list[InterviewSummary]:
    """One team's interviews with their answers and records, oldest first."""
    slug = (await execute(select(t.Team.slug).where(t.Team.id == team_id))).scalar_one_or_none()
    if slug is None:
        return []
    members = await execute(select(t.Member.id, t.Member.display_name).where(t.Member.team_id == team_id))
    return await _interviews(execute, [team_id], {team_id: slug}, {row.id: row.display_name for row in members})


async def _interviews(
    execute: Executor, team_ids: list[int], slugs: dict[int, str], member_names: dict[int, str]
) -> list[InterviewSummary]:
    interviews = (
        await execute(
            select(t.Interview)
            .where(t.Interview.team_id.in_(team_ids))  # type: ignore[attr-defined]
            .order_by(t.Interview.started_at, t.Interview.id)  # type: ignore[arg-type]
        )
    ).all()
    by_interview = await _children(execute, [interview.id for interview in interviews])
    return [
        _summary(interview, slugs[interview.team_id], member_names.get(interview.member_id, "?"), by_interview)
        for interview in interviews
    ]


async def _children(execute: Executor, ids: list[str]) -> dict[str, dict[str, list[Any]]]:
    children: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return children
    for table, name in (
        (t.Answer, "answers"),
        (t.Item, "items"),
        (t.PriceAnswer, "price"),
        (t.Commitment, "commitments"),
        (t.Evidence, "evidence"),
    ):
        column = table.interview_id  # type: ignore[attr-defined]
        order = [table.id] if hasattr(table, "id") else []  # type: ignore[attr-defined]
        rows = (await execute(select(table).where(column.in_(ids)).order_by(*order))).all()
        for row in rows:
            children[row.interview_id][name].append(row)
    return children


def _summary(
    interview: t.Interview, team: str, founder: str, children: dict[str, dict[str, list[Any]]]
) -> InterviewSummary:
    mine = children.get(interview.id, {})
    items = sorted(mine.get("items", []), key=lambda item: (item.kind, item.position))
    jobs = tuple(
        Job(item.text, **{k: (item.details or {}).get(k) for k in ("when", "want", "so_that")})
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
        founder=founder,
        script=interview.script,
        status=cast(Any, interview.status),
        started_at=started,
        completed_at=aware(interview.completed_at),
        answers={answer.question_id: answer.value for answer in mine.get("answers", [])},
        record=record,
    )
