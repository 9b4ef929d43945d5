"""Writing an import batch: teams, hypotheses and interviews, all in one transaction, skipping what exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from core.transfer.importer import ImportBatch
from storage import tables as t
from storage.executor import utc
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
    """Write every valid item of the batch; ids and codes already present are left as they are."""
    report = ImportReport()
    team_ids: dict[str, int] = {}

    async def team_id(slug: str, name: str | None = None) -> int:
        if slug not in team_ids:
            await uow.execute(
                uow.insert(t.Team)
                .values(slug=slug, name=name or slug, created_at=utc(now))
                .on_conflict_do_nothing(index_elements=["slug"])
            )
            found = await uow.execute(select(col(t.Team.id)).where(col(t.Team.slug) == slug))
            team_ids[slug] = int(found.scalar_one())
            report.teams.append(slug)
        return team_ids[slug]

    for team in batch.teams:
        await team_id(team.slug, team.name)  # first, so the team keeps its name
        for member in team.members:
            await uow.teams.join_team(IMPORT_PLATFORM, member, member, team.slug)
    for hypothesis in batch.hypotheses:
        owner = await team_id(hypothesis.team)
        exists = await uow.execute(
            select(col(t.Hypothesis.id)).where(
                col(t.Hypothesis.team_id) == owner, col(t.Hypothesis.code) == hypothesis.code
            )
        )
        if exists.first() is not None:
            report.hypotheses_existing += 1
            continue
        inserted = await uow.execute(
            uow.insert(t.Hypothesis)
            .values(
                team_id=owner,
                code=hypothesis.code,
                number=int(hypothesis.code[1:]),
                block=hypothesis.block,
                statement=hypothesis.statement,
                criterion=hypothesis.criterion,
                status=hypothesis.status,
                created_at=utc(now),
            )
            .returning(col(t.Hypothesis.id))
        )
        await uow.hypotheses.event(int(inserted.scalar_one()), now, "created", "import", hypothesis.status, None)
        report.hypotheses_added += 1
    for interview in batch.interviews:
        exists = await uow.execute(select(col(t.Interview.id)).where(col(t.Interview.id) == interview.id))
        if exists.first() is not None:
            report.interviews_existing += 1
            continue
        owner = await team_id(interview.team)
        seat = await uow.teams.join_team(IMPORT_PLATFORM, interview.founder, interview.founder, interview.team)
        await uow.execute(
            uow.insert(t.Interview).values(
                id=interview.id,
                team_id=owner,
                member_id=seat.member_id,
                script=interview.script,
                script_version=1,
                lang="en",
                status=interview.status,
                started_at=utc(interview.started_at),
            )
        )
        changed = interview.completed_at or interview.started_at
        answers = [
            {"interview_id": interview.id, "question_id": key, "value": value, "flags": [], "updated_at": utc(changed)}
            for key, value in interview.answers.items()
        ]
        if answers:
            await uow.execute(uow.insert(t.Answer), answers)
        if interview.status == "completed":
            await uow.interviews.complete(
                interview.id, interview.record, interview.completed_at or interview.started_at, owner
            )
        report.interviews_added += 1
    return report
