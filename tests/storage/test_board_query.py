"""The board's read side: one query of aggregates equals the Python analytics over every interview.

Runs on SQLite and PostgreSQL (the `storage` fixture), on a varied team built through the importer.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.analytics.funnel import FunnelLog
from core.board.snapshot import EVIDENCE_SHOWN, INTERVIEWS_SHOWN, ITEMS_SHOWN, Board, board_to_dict
from core.board.team import PhaseChange
from core.domain import InterviewRecord, InterviewSummary, Pain
from core.transfer.importer import ImportBatch
from storage.database import upgrade
from storage.importing import import_batch
from storage.sql_storage import SqlStorage
from storage.tally import digest
from tests.board_reference import reference_board
from tests.storage.board_data import NOW, interviews


async def seed(storage: SqlStorage) -> tuple[int, int]:
    """Two teams: acme (varied, merges, a timezone with a half-hour offset) and globex; their ids."""
    async with storage.transaction() as uow:
        acme = (await uow.teams.join_team("import", "ann", "Ann", "acme")).team_id
        globex = (await uow.teams.join_team("import", "zed", "Zed", "globex")).team_id
        for statement, block in (("Clinics lose hours", "value_propositions"), ("Managers buy", "customer_segments")):
            await uow.hypotheses.add(acme, statement, block, "8 of 10", "Ann", NOW)
        await uow.hypotheses.add(acme, "They pay 50 a month", "revenue_streams", None, "Ann", NOW)
        await uow.hypotheses.add(globex, "Globex only", "value_propositions", None, "Zed", NOW)
    async with storage.transaction() as uow:
        await import_batch(uow, interviews("acme", 400), NOW)
        await import_batch(uow, interviews("globex", 120, seed=99, founders=("Zed", "Yan")), NOW)
    async with storage.transaction() as uow:
        # H4 exists only after the import: evidence saved for "H4" without an id is matched by its code
        await uow.hypotheses.add(acme, "Added later", None, None, "Ann", NOW)
        await uow.hypotheses.pivot(acme, "H3", "They pay 80 a month", "too cheap", "Bob", NOW)
        await uow.hypotheses.set_status(acme, "H1", "validated", "clear", "Ann", NOW)
        await uow.teams.add_merge(acme, "slow payments", "late invoices", "Ann", NOW)
        await uow.teams.add_merge(acme, "tax forms", "manual reporting", "Ann", NOW)
        await uow.teams.add_merge(acme, "manual reporting", "tax forms", "Bob", NOW)  # a cycle: resolves to the smaller
        await uow.teams.add_merge(acme, "fewer emails", "happy patients", "Ann", NOW)
        await uow.teams.log_funnel(acme, FunnelLog("contacted", 40, "Agencies", NOW), "Ann")
        await uow.teams.log_funnel(acme, FunnelLog("paid", 2, "Dentists", NOW), "Ann")
        await uow.teams.tick(acme, "creation", "scalable_channels", "Ann", NOW)
        await uow.teams.update_team(acme, timezone="Asia/Kolkata", target_segment="Dental Clinics", weekly_target=6)
    return acme, globex


def assert_same(new: Board, old: Board) -> None:
    """The SQL board equals the Python one, the bounded lists being the tails or heads of the full ones."""
    assert json.loads(json.dumps(board_to_dict(new))) == board_to_dict(old)  # and it is JSON as it stands
    assert new.gate == old.gate
    assert new.pace == old.pace and new.sean_ellis == old.sean_ellis and new.prices == old.prices
    assert new.funnel == old.funnel and new.per_founder == old.per_founder and new.per_week == old.per_week
    assert new.commitments == old.commitments
    assert [str(a) for a in new.commitments.money_total.values()] == [
        str(a) for a in old.commitments.money_total.values()
    ]
    for mine, theirs in ((new.top_pains, old.top_pains), (new.top_jobs, old.top_jobs), (new.top_gains, old.top_gains)):
        assert mine == [replace(item, interview_ids=()) for item in theirs[:ITEMS_SHOWN]]
    assert [(i.id, i.founder, i.status, i.record.alias, i.record.segment) for i in new.interviews] == [
        (i.id, i.founder, i.status, i.record.alias, i.record.segment) for i in old.interviews[-INTERVIEWS_SHOWN:]
    ]
    assert len(new.hypotheses) == len(old.hypotheses)
    for mine_view, their_view in zip(new.hypotheses, old.hypotheses, strict=True):
        assert (mine_view.tally, mine_view.suggestion) == (their_view.tally, their_view.suggestion)
        theirs_h = their_view.hypothesis
        assert mine_view.hypothesis == replace(theirs_h, evidence=theirs_h.evidence[-EVIDENCE_SHOWN:])
    assert (new.team, new.members, new.phase_changes) == (old.team, old.members, old.phase_changes)


async def test_sql_board_equals_the_python_analytics(storage: SqlStorage) -> None:
    acme, globex = await seed(storage)
    for phase in ("discovery", "validation", "creation"):
        async with storage.transaction() as uow:
            await uow.teams.change_phase(acme, PhaseChange(NOW, "discovery", phase, "Ann", "testing"))
            old = await reference_board(uow, acme, NOW, "en")
            in_transaction = await uow.teams.board(acme, NOW, "en")
        assert_same(in_transaction, old)
        assert_same(await storage.board(acme, NOW, "en"), old)
    board = await storage.board(acme, NOW, "en")
    assert len(board.interviews) == INTERVIEWS_SHOWN and len(board.top_pains) == ITEMS_SHOWN
    assert board.top_pains[0].text in ("Late invoices", "late invoices", "LATE invoices")
    assert any(len(v.hypothesis.evidence) == EVIDENCE_SHOWN < v.tally.total for v in board.hypotheses)
    assert any(item.key == "happy patients" and item.interviewees > 1 for item in board.top_gains)
    async with storage.transaction() as uow:
        assert_same(await storage.board(globex, NOW, "en"), await reference_board(uow, globex, NOW, "en"))


async def test_russian_board_equals_too(storage: SqlStorage) -> None:
    acme, _globex = await seed(storage)
    async with storage.transaction() as uow:
        old = await reference_board(uow, acme, NOW, "ru")
    assert_same(await storage.board(acme, NOW, "ru"), old)


async def test_a_team_never_sees_another_teams_data(storage: SqlStorage) -> None:
    acme, globex = await seed(storage)
    board = await storage.board(globex, NOW, "en")
    assert set(board.per_founder) <= {"Zed", "Yan"} and sum(board.per_founder.values()) == board.pace.total
    assert {i.team for i in board.interviews} == {"globex"}
    assert [v.hypothesis.code for v in board.hypotheses] == ["H1"]
    assert all(e.interview_id.startswith("globex-") for v in board.hypotheses for e in v.hypothesis.evidence)
    assert board.funnel[-1].contacted == 0 and not board.phase_changes
    with pytest.raises(LookupError):
        await storage.board(globex + acme + 1000, NOW, "en")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


async def test_weeks_and_pace_follow_the_team_timezone(storage: SqlStorage) -> None:
    moments = [
        at(1, 12),  # Sunday 1 Nov: ISO week 44 everywhere
        at(8, 18, 29),  # Sunday 8 Nov 23:59 in Kolkata (UTC+5:30): still week 45 there
        at(8, 18, 30),  # Monday 9 Nov 00:00 in Kolkata: week 46 there, week 45 in UTC
        at(15, 20),  # Sunday 15 Nov in UTC (week 46), Monday 16 Nov 01:30 in Kolkata (week 47)
        at(22, 10),  # Sunday 22 Nov (today, NOW is 12:00 UTC): week 47
    ]
    batch = ImportBatch()
    for n, moment in enumerate(moments):
        record = InterviewRecord(alias=f"P{n}", pains=(Pain("late invoices", 4),))
        batch.interviews.append(
            InterviewSummary(f"tz{n}", "acme", "Ann", "discovery", "completed", moment, moment, {}, record)
        )
    async with storage.transaction() as uow:
        await import_batch(uow, batch, NOW)
        team = (await uow.teams.join_team("import", "Ann", "Ann", "acme")).team_id
    utc_weeks = (await storage.board(team, NOW, "en")).per_week
    assert utc_weeks == [(2026, 44, 1), (2026, 45, 2), (2026, 46, 1), (2026, 47, 1)]
    async with storage.transaction() as uow:
        await uow.teams.update_team(team, timezone="Asia/Kolkata")
        old = await reference_board(uow, team, NOW, "en")
    board = await storage.board(team, NOW, "en")
    assert board.per_week == [(2026, 44, 1), (2026, 45, 1), (2026, 46, 1), (2026, 47, 2)] == old.per_week
    assert (board.pace.this_week, board.pace.last_7_days, board.pace.total) == (2, 2, 5)
    assert board.pace == old.pace
    later = await storage.board(team, NOW + timedelta(hours=12), "en")  # Monday 23 Nov in Kolkata: a new week
    assert (later.pace.this_week, later.pace.last_7_days) == (0, 1)


async def test_the_board_reads_committed_data_while_a_writer_holds_the_lock(storage: SqlStorage) -> None:
    async with storage.transaction() as uow:
        team = (await uow.teams.join_team("import", "ann", "Ann", "acme")).team_id
        await uow.hypotheses.add(team, "Committed hypothesis", None, None, "Ann", NOW)
    async with storage.transaction() as uow:
        await uow.hypotheses.add(team, "Not committed yet", None, None, "Ann", NOW)
        # the writer holds the lock (SQLite: asyncio lock and BEGIN IMMEDIATE); the read goes round it
        outside = await asyncio.wait_for(storage.board(team, NOW, "en"), timeout=5)
        inside = await uow.teams.board(team, NOW, "en")
    assert [v.hypothesis.statement for v in outside.hypotheses] == ["Committed hypothesis"]
    assert [v.hypothesis.statement for v in inside.hypotheses] == ["Committed hypothesis", "Not committed yet"]
    after = await storage.board(team, NOW, "en")
    assert len(after.hypotheses) == 2


async def test_boards_run_side_by_side_with_writes(storage: SqlStorage) -> None:
    acme, _globex = await seed(storage)

    async def write(n: int) -> None:
        async with storage.transaction() as uow:
            await uow.teams.log_funnel(acme, FunnelLog("contacted", 1, None, NOW), f"w{n}")

    results = await asyncio.gather(*(storage.board(acme, NOW, "en") for _ in range(4)), *(write(n) for n in range(4)))
    boards = [r for r in results if isinstance(r, Board)]
    assert len(boards) == 4 and all(b.pace == boards[0].pace for b in boards)
    assert (await storage.board(acme, NOW, "en")).funnel[-1].contacted == 44


def test_migration_0005_fills_team_and_keys_of_existing_items(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0004")
    with sqlite3.connect(tmp_path / "old.db") as raw:
        raw.execute(
            "INSERT INTO team (id, slug, name, language, timezone, created_at) "
            "VALUES (7, 'acme', 'Acme', 'en', 'UTC', '2026-11-01 09:00:00')"
        )
        raw.execute(
            "INSERT INTO member (id, team_id, platform, user_key, display_name, role, created_at) "
            "VALUES (3, 7, 'console', 'ann', 'Ann', 'owner', '2026-11-01 09:00:00')"
        )
        raw.execute(
            "INSERT INTO interview (id, team_id, member_id, script, script_version, lang, status, started_at, "
            "completed_at) VALUES ('i1', 7, 3, 'discovery', 1, 'en', 'completed', '2026-11-02 09:00:00.000000', "
            "'2026-11-02 10:00:00+00:00')"
        )
        for position, text in enumerate(["  Late   Invoices!", "late invoices"]):
            raw.execute(
                "INSERT INTO item (interview_id, kind, position, text, severity) VALUES ('i1', 'pain', ?, ?, 4)",
                (position, text),
            )
    upgrade(url)
    with sqlite3.connect(tmp_path / "old.db") as raw:
        rows = raw.execute("SELECT team_id, norm_key, key_hash FROM item ORDER BY id").fetchall()
    assert rows == [(7, "late invoices", digest("late invoices"))] * 2

    async def board() -> Board:
        storage = SqlStorage(url)
        try:
            return await storage.board(7, NOW, "en")
        finally:
            await storage.close()

    top = asyncio.run(board()).top_pains
    assert [(i.key, i.text, i.interviewees, i.mentions) for i in top] == [("late invoices", "Late Invoices!", 1, 2)]
