"""Restoring what a backup keeps of a team beyond its interviews: settings, people, hypotheses with history, logs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlmodel import col

from core.app.export_data import HypothesisInfo, Person, TeamInfo
from core.transfer.backup import SETTINGS
from storage import tables as t
from storage.executor import utc
from storage.reminder_repo import setting_values
from storage.uow import SqlUnitOfWork


@dataclass
class TeamSeat:
    """A team the import writes into, and whether the import created it."""

    id: int
    created: bool


async def team_seat(uow: SqlUnitOfWork, slug: str, name: str | None, now: datetime) -> TeamSeat:
    """The team with this slug, created when it is not there yet."""
    query = select(col(t.Team.id)).where(col(t.Team.slug) == slug)
    found = (await uow.execute(query)).scalar_one_or_none()
    if found is not None:
        return TeamSeat(int(found), False)
    await uow.execute(
        uow.insert(t.Team)
        .values(slug=slug, name=name or slug, created_at=utc(now))
        .on_conflict_do_nothing(index_elements=["slug"])
    )
    return TeamSeat(int((await uow.execute(query)).scalar_one()), True)


async def restore_team(uow: SqlUnitOfWork, seat: TeamSeat, team: TeamInfo) -> None:
    """Settings (only into a team this import created) and people with their roles.

    A person already in the team keeps their role, and a team that has an owner gets no second one.
    """
    if seat.created and team.profile is not None:
        await uow.teams.update_team(seat.id, **{key: getattr(team.profile, key) for key in SETTINGS})
    for person in team.people:
        owners = await uow.execute(
            select(func.count()).where(col(t.Member.team_id) == seat.id, col(t.Member.role) == "owner")
        )
        role = "founder" if person.role == "owner" and owners.scalar_one() else person.role
        await uow.execute(
            uow.insert(t.Member)
            .values(
                team_id=seat.id,
                platform=person.platform,
                user_key=person.user,
                display_name=person.name,
                role=role,
                created_at=func.now(),
            )
            .on_conflict_do_nothing(index_elements=["team_id", "platform", "user_key"])
        )
        if person.reminders is not None:  # a person already in the team keeps the settings they have
            await _restore_reminders(uow, seat.id, person)


async def _restore_reminders(uow: SqlUnitOfWork, team_id: int, person: Person) -> None:
    assert person.reminders is not None
    member = await uow.execute(
        select(col(t.Member.id)).where(
            col(t.Member.team_id) == team_id,
            col(t.Member.platform) == person.platform,
            col(t.Member.user_key) == person.user,
        )
    )
    values = setting_values(person.reminders)
    await uow.execute(
        uow.insert(t.ReminderSetting)
        .values(member_id=member.scalar_one(), updated_at=func.now(), **values)
        .on_conflict_do_nothing(index_elements=["member_id"])
    )


async def restore_logs(uow: SqlUnitOfWork, team_id: int, team: TeamInfo) -> None:
    """Phase changes, funnel logs, gate ticks and item merges not already there (merges last: they recount)."""
    known_changes = await uow.teams.phase_changes(team_id)
    for change in team.phase_changes:
        if change not in known_changes:
            await uow.teams.record_phase_change(team_id, change)
    known_logs = await uow.teams.funnel_logs(team_id)
    for logged in team.funnel_logs:
        if logged.entry not in known_logs:
            await uow.teams.log_funnel(team_id, logged.entry, logged.by)
    for tick in team.ticks:
        await uow.teams.tick(team_id, tick.entry[0], tick.entry[1], tick.by, tick.at)
    for merge in team.merges:
        await uow.teams.add_merge(team_id, merge.entry[0], merge.entry[1], merge.by, merge.at)


async def insert_hypothesis(uow: SqlUnitOfWork, team_id: int, hypothesis: HypothesisInfo, now: datetime) -> int:
    """A hypothesis as the file has it, with its history (or a 'created by import' entry when it has none)."""
    inserted = await uow.execute(
        uow.insert(t.Hypothesis)
        .values(
            team_id=team_id,
            code=hypothesis.code,
            number=int(hypothesis.code[1:]),
            block=hypothesis.block,
            statement=hypothesis.statement,
            criterion=hypothesis.criterion,
            status=hypothesis.status,
            created_at=utc(hypothesis.created_at or now),
        )
        .returning(col(t.Hypothesis.id))
    )
    hypothesis_id = int(inserted.scalar_one())
    if not hypothesis.history:
        await uow.hypotheses.event(hypothesis_id, now, "created", "import", hypothesis.status, None)
    for event in hypothesis.history:
        await uow.hypotheses.event(
            hypothesis_id, event.at, event.kind, event.by, event.status, event.reason, event.successor
        )
    return hypothesis_id


async def link_pivots(uow: SqlUnitOfWork, team_id: int, added: Sequence[HypothesisInfo]) -> None:
    """Point the added hypotheses at their predecessors and successors, by code within the team."""
    rows = await uow.execute(
        select(col(t.Hypothesis.id), col(t.Hypothesis.code)).where(col(t.Hypothesis.team_id) == team_id)
    )
    ids = {row.code: row.id for row in rows}
    for hypothesis in added:
        links = {
            "predecessor_id": ids.get(hypothesis.predecessor or ""),
            "successor_id": ids.get(hypothesis.successor or ""),
        }
        if any(links.values()):
            await uow.execute(update(t.Hypothesis).where(col(t.Hypothesis.id) == ids[hypothesis.code]).values(**links))
