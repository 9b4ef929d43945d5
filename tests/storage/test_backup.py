"""A backup (`cusdev export` JSON) imported into an empty database gives back the same team, board and all.

Runs on SQLite and PostgreSQL: the team is built in one database, exported, imported into a new one, and compared
whole: the board as its query returns it, roles, hypothesis history and pivots, phase changes, logs, merges, ticks,
and the coach's flags.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from core.analytics.funnel import FunnelLog
from core.board.snapshot import Board
from core.board.team import PhaseChange
from core.reminders.ports import ReminderSettings
from core.transfer.export import to_json
from core.transfer.import_csv import currency_code
from core.transfer.importer import ImportBatch, parse_export_json
from storage import tables as t
from storage.database import upgrade
from storage.importing import import_batch
from storage.sql_storage import SqlStorage
from tests.service_scenarios import interviews_saved
from tests.storage.board_data import NOW, interviews

LATER = NOW + timedelta(days=3)


@pytest.fixture
async def target(empty_url: str) -> AsyncIterator[SqlStorage]:
    """A second, empty database to restore into."""
    upgrade(empty_url)
    store = SqlStorage(empty_url)
    yield store
    await store.close()


async def seed(storage: SqlStorage) -> int:
    """A team with everything a backup must keep: people in three roles, pivots, history, phases, logs, flags."""
    await interviews_saved(storage)  # alice (the owner) logs a quick and a validation interview; H1 is made
    team = await storage.team_id("default")
    assert team is not None
    async with storage.transaction() as uow:
        await import_batch(uow, as_the_bot_stores(interviews("default", 60, founders=("Ann", "Bob"))), NOW)
        mia = await uow.teams.join_team("telegram", "4242", "Mia", "default")
        await uow.teams.set_role(team, mia.member_id, "mentor")
        await uow.hypotheses.add(team, "Clinics lose hours", "value_propositions", "8 of 10", "Ann", NOW)
        await uow.hypotheses.add(team, "They pay 50 a month", "revenue_streams", None, "Ann", NOW)
        await uow.hypotheses.pivot(team, "H3", "They pay 80 a month", "too cheap", "Bob", LATER)
        await uow.hypotheses.set_status(team, "H2", "validated", "9 of 10 said so", "Ann", LATER)
        await uow.teams.add_merge(team, "slow payments", "late invoices", "Ann", NOW)
        await uow.teams.add_merge(team, "fewer emails", "happy patients", "Bob", LATER)
        await uow.teams.log_funnel(team, FunnelLog("contacted", 40, "Agencies", NOW), "Ann")
        await uow.teams.log_funnel(team, FunnelLog("paid", 2, None, LATER), "Bob")
        await uow.teams.tick(team, "validation", "sales_roadmap", "Ann", LATER)
        await uow.teams.change_phase(team, PhaseChange(LATER, "discovery", "validation", "Ann", "we have 3 LOIs"))
        await uow.teams.update_team(
            team,
            timezone="Europe/Moscow",
            weekly_target=6,
            goal_total=40,
            target_segment="Dental clinics",
            digest_chat="telegram:-100",
            digest_tenant="123",
            digest_cadence="daily",
            digest_enabled=False,
            digest_set_at=LATER,
        )
        away = ReminderSettings(True, time(8, 30), "Asia/Tokyo", date(2026, 12, 24))
        await uow.reminders.save(mia.member_id, away, NOW)
        flagged = (await uow.execute(select(col(t.Answer.interview_id), col(t.Answer.question_id)))).first()
        assert flagged is not None
        await uow.execute(
            update(t.Answer)
            .where(col(t.Answer.interview_id) == flagged[0], col(t.Answer.question_id) == flagged[1])
            .values(flags=["hypothetical"])
        )
    return team


def as_the_bot_stores(batch: ImportBatch) -> ImportBatch:
    """The varied board data with its currencies as the bot keeps them (codes, or none), not as typed."""

    def code(currency: str | None) -> str | None:
        return currency_code(currency) if currency else None

    for n, interview in enumerate(batch.interviews):
        record = interview.record
        record = replace(
            record,
            price=replace(record.price, currency=code(record.price.currency)),
            commitments=tuple(replace(c, currency=code(c.currency)) for c in record.commitments),
        )
        batch.interviews[n] = replace(interview, record=record)
    return batch


def comparable(board: Board) -> Board:
    """The board without the ids a database hands out (team and member ids)."""
    return replace(board, team=replace(board.team, id=0), members=[replace(m, id=0) for m in board.members])


async def everything(storage: SqlStorage, team: int) -> dict[str, Any]:
    """What the team's repositories hold, ids left out."""
    async with storage.transaction() as uow:
        flags = await uow.execute(
            select(col(t.Answer.interview_id), col(t.Answer.question_id), col(t.Answer.flags)).order_by(
                col(t.Answer.interview_id), col(t.Answer.question_id)
            )
        )
        return {
            "members": [(m.name, m.role, m.platform) for m in await uow.teams.members(team)],
            "hypotheses": await uow.hypotheses.all(team),
            "phases": await uow.teams.phase_changes(team),
            "funnel": await uow.teams.funnel_logs(team),
            "merges": await uow.teams.merges(team),
            "ticks": await uow.teams.ticks(team),
            "profile": replace(await uow.teams.team(team), id=0),
            "reminders": [(m.name, await uow.reminders.settings(m.id)) for m in await uow.teams.members(team)],
            "summaries": await uow.interviews.summaries(team),
            "flags": [tuple(row) for row in flags if row.flags],
        }


async def test_export_then_import_into_an_empty_database_gives_back_the_same_team(
    storage: SqlStorage, target: SqlStorage
) -> None:
    team = await seed(storage)
    backup = to_json(await storage.export_data())
    batch = parse_export_json(backup, "backup.json")
    assert batch.problems == []
    async with target.transaction() as uow:
        await import_batch(uow, batch, LATER + timedelta(days=30))
    restored = await target.team_id("default")
    assert restored is not None
    for lang in ("en", "ru"):
        before = await storage.board(team, LATER, lang)
        assert comparable(await target.board(restored, LATER, lang)) == comparable(before)
    mine, theirs = await everything(target, restored), await everything(storage, team)
    assert mine == theirs
    assert mine["members"] == [
        ("Alice", "owner", "console"),
        ("Ann", "founder", "import"),
        ("Bob", "founder", "import"),
        ("Mia", "mentor", "telegram"),
    ]
    assert mine["phases"][0].override_reason == "we have 3 LOIs" and mine["profile"].phase == "validation"
    h3 = next(h for h in mine["hypotheses"] if h.code == "H3")
    assert (h3.status, h3.successor, [e.reason for e in h3.history]) == ("pivoted", "H4", [None, "too cheap"])
    assert [flags for *_, flags in mine["flags"]] == [["hypothetical"]]
    profile = mine["profile"]
    assert (profile.digest_enabled, profile.digest_set_at, profile.digest_cadence) == (False, LATER, "daily")
    assert ("Mia", ReminderSettings(True, time(8, 30), "Asia/Tokyo", date(2026, 12, 24))) in mine["reminders"]
    assert ("Alice", ReminderSettings()) in mine["reminders"]  # never set: the defaults, and no row made for her
    assert json.loads(to_json(await target.export_data())) == json.loads(backup)  # answers' order may differ


async def test_a_backup_into_a_team_that_has_an_owner_adds_no_second_owner(
    storage: SqlStorage, target: SqlStorage
) -> None:
    await seed(storage)
    batch = parse_export_json(to_json(await storage.export_data()), "backup.json")
    async with target.transaction() as uow:
        await uow.teams.join_team("telegram", "1", "Zoe", "default")  # Zoe owns the team already
        await import_batch(uow, batch, NOW)
        again = await import_batch(uow, batch, NOW)  # twice: nothing new the second time
        team = (await uow.teams.join_team("telegram", "1", "Zoe", "default")).team_id
        members = await uow.teams.members(team)
        assert [(m.name, m.role) for m in members if m.role == "owner"] == [("Zoe", "owner")]
        assert ("Alice", "founder") in [(m.name, m.role) for m in members]
        assert (again.interviews_added, again.hypotheses_added) == (0, 0)
        assert len(await uow.teams.funnel_logs(team)) == 2 and len(await uow.teams.phase_changes(team)) == 1
