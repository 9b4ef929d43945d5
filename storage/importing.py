"""Writing an import batch (a backup, or price answers): all in one transaction, skipping what exists."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from core.app.export_data import HypothesisInfo
from core.domain import InterviewSummary
from core.transfer.importer import ImportBatch
from storage import tables as t
from storage.executor import utc
from storage.import_team import TeamSeat, insert_hypothesis, link_pivots, restore_logs, restore_team, team_seat
from storage.uow import SqlUnitOfWork

IMPORT_PLATFORM = "import"


@dataclass
class ImportReport:
    """What an import added and what it found already there."""

    interviews_added: int = 0
    interviews_existing: int = 0
    hypotheses_added: int = 0
    hypotheses_existing: int = 0
    teams: list[str] = field(default_factory=list)


async def import_batch(uow: SqlUnitOfWork, batch: ImportBatch, now: datetime) -> ImportReport:
    """Write every valid item of the batch; ids and codes already present are left as they are.

    A backup restored into an empty database gives back each team whole: settings, people and roles, hypotheses
    with their pivots and history, interviews with the coach's flags, phase changes, funnel logs, ticks and merges.
    """
    report = ImportReport()
    seats: dict[str, TeamSeat] = {}

    async def seat_of(slug: str, name: str | None = None) -> TeamSeat:
        if slug not in seats:
            seats[slug] = await team_seat(uow, slug, name, now)
            report.teams.append(slug)
        return seats[slug]

    for team in batch.teams:
        seat = await seat_of(team.slug, team.name)  # first, so the team keeps its name
        await restore_team(uow, seat, team)
        if not team.people:  # an export from before backups kept people: names only
            for member in team.members:
                await uow.teams.join_team(IMPORT_PLATFORM, member, member, team.slug)
    added: dict[int, list[HypothesisInfo]] = defaultdict(list)
    for hypothesis in batch.hypotheses:
        owner = (await seat_of(hypothesis.team)).id
        exists = await uow.execute(
            select(col(t.Hypothesis.id)).where(
                col(t.Hypothesis.team_id) == owner, col(t.Hypothesis.code) == hypothesis.code
            )
        )
        if exists.first() is not None:
            report.hypotheses_existing += 1
            continue
        await insert_hypothesis(uow, owner, hypothesis, now)
        added[owner].append(hypothesis)
        report.hypotheses_added += 1
    for owner, hypotheses in added.items():
        await link_pivots(uow, owner, hypotheses)
    for interview in batch.interviews:
        exists = await uow.execute(select(col(t.Interview.id)).where(col(t.Interview.id) == interview.id))
        if exists.first() is not None:
            report.interviews_existing += 1
            continue
        await _insert_interview(uow, (await seat_of(interview.team)).id, interview)
        report.interviews_added += 1
    for team in batch.teams:
        await restore_logs(uow, seats[team.slug].id, team)
    return report


async def _member(uow: SqlUnitOfWork, team_id: int, interview: InterviewSummary) -> int:
    """Who ran the interview: the member with its account when the team has them, else one made by name."""
    if interview.account is not None:
        platform, user = interview.account
        found = await uow.execute(
            select(col(t.Member.id)).where(
                col(t.Member.team_id) == team_id, col(t.Member.platform) == platform, col(t.Member.user_key) == user
            )
        )
        if (member_id := found.scalar_one_or_none()) is not None:
            return int(member_id)
    seat = await uow.teams.join_team(IMPORT_PLATFORM, interview.founder, interview.founder, interview.team)
    return seat.member_id


async def _insert_interview(uow: SqlUnitOfWork, owner: int, interview: InterviewSummary) -> None:
    """One interview with its answers (and their coach flags); a completed one gets its record."""
    await uow.execute(
        uow.insert(t.Interview).values(
            id=interview.id,
            team_id=owner,
            member_id=await _member(uow, owner, interview),
            script=interview.script,
            script_version=1,
            lang=interview.lang,
            status=interview.status,
            started_at=utc(interview.started_at),
        )
    )
    changed = utc(interview.completed_at or interview.started_at)
    answers = [
        {
            "interview_id": interview.id,
            "question_id": key,
            "value": value,
            "flags": interview.flags.get(key, []),
            "updated_at": changed,
        }
        for key, value in interview.answers.items()
    ]
    if answers:
        await uow.execute(uow.insert(t.Answer), answers)
    if interview.status == "completed":
        await uow.interviews.complete(
            interview.id, interview.record, interview.completed_at or interview.started_at, owner
        )
