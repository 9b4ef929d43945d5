"""The gates read from the board's counts (SQLite and PostgreSQL) equal the reference computed over every interview:
any interview that records a pain is a problem interview, and Validation asks for money paid and a measured funnel.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, delete, text

from core.analytics.funnel import FunnelLog
from core.board.gate import ItemResult
from core.board.snapshot import Board
from core.board.team import PhaseChange
from core.domain import Commitment, InterviewRecord, InterviewSummary, Pain
from core.transfer.importer import ImportBatch
from storage import tables as t
from storage.database import upgrade
from storage.importing import import_batch
from storage.search_index import create_statements, drop_statements
from storage.sql_storage import SqlStorage
from tests.board_reference import reference_board
from tests.storage.board_data import NOW
from tests.storage.test_board_query import assert_same


def done(n: int, script: str, segment: str, pains: tuple[Pain, ...] = (), committed: bool = False) -> InterviewSummary:
    """A completed interview of team acme."""
    at = NOW - timedelta(hours=n)
    record = InterviewRecord(
        alias=f"P{n}",
        segment=segment,
        pains=pains,
        commitments=(Commitment("money"),) if committed else (),
    )
    return InterviewSummary(f"acme-{n:03d}", "acme", "Ann", script, "completed", at, at, {}, record)


async def team_with(storage: SqlStorage, interviews: list[InterviewSummary]) -> int:
    batch = ImportBatch()
    batch.interviews.extend(interviews)
    async with storage.transaction() as uow:
        await import_batch(uow, batch, NOW)
        team = (await uow.teams.join_team("import", "Ann", "Ann", "acme")).team_id
        await uow.teams.update_team(team, target_segment="Dental clinics")
    return team


def gate_item(items: tuple[ItemResult, ...], item_id: str) -> ItemResult:
    [found] = [item for item in items if item.id == item_id]
    return found


LATE = Pain("Late invoices", 5)


async def test_a_quick_log_that_records_a_pain_is_a_problem_interview(storage: SqlStorage) -> None:
    interviews = [done(n, "quick", "Dental clinics", (LATE,)) for n in range(6)]
    interviews += [done(10 + n, "discovery", "dental clinics", (LATE, Pain("No-shows", 4))) for n in range(4)]
    interviews += [done(20, "validation", "Dental clinics")]  # records no pain: not a problem interview
    interviews += [done(21, "discovery", "Dental clinics")]  # no pain recorded either
    interviews += [done(30 + n, "quick", "Agencies", (LATE,)) for n in range(5)]  # outside the target segment
    team = await team_with(storage, interviews)
    async with storage.transaction() as uow:
        old = await reference_board(uow, team, NOW, "en")
    board = await storage.board(team, NOW, "en")
    assert_same(board, old)
    assert gate_item(board.gate.items, "problem_interviews").progress == "10/15"
    assert gate_item(board.gate.items, "top_pain") == ItemResult(
        "top_pain",
        "A top pain named by at least 50% of at least 10 problem interviews, with severity 4+",
        "100% (10/10): “Late invoices”",
        True,
    )


async def test_one_interview_of_one_does_not_pass_the_top_pain(storage: SqlStorage) -> None:
    team = await team_with(storage, [done(0, "quick", "Dental clinics", (LATE,))])
    board = await storage.board(team, NOW, "en")
    top = gate_item(board.gate.items, "top_pain")
    assert (top.progress, top.passed) == ("100% (1/1): “Late invoices” · 9 more interviews needed", False)


async def test_validation_asks_for_money_paid_and_a_measured_funnel(storage: SqlStorage) -> None:
    interviews = [done(n, "validation", "Dental clinics", committed=n < 3) for n in range(5)]
    interviews += [done(10, "discovery", "Dental clinics", (LATE,), committed=True)]  # never saw the offer
    team = await team_with(storage, interviews)
    async with storage.transaction() as uow:
        await uow.teams.change_phase(team, PhaseChange(NOW, "discovery", "validation", "Ann", "testing"))
        await uow.teams.log_funnel(team, FunnelLog("contacted", 30, "Dental clinics", NOW), "Ann")
        await uow.teams.log_funnel(team, FunnelLog("paid", 2, "Dental clinics", NOW), "Ann")
        old = await reference_board(uow, team, NOW, "en")
    board = await storage.board(team, NOW, "en")
    assert_same(board, old)
    total = board.funnel[-1]
    assert (total.contacted, total.interviewed, total.shown, total.committed, total.paid) == (30, 6, 5, 3, 2)
    paid, conversion, *_rest = board.gate.items
    assert (paid.progress, paid.passed) == ("2/10 · log each payment: /funnel log paid 1", False)
    assert (conversion.progress, conversion.passed) == ("20% → 83% → 60% → 67%", True)
    async with storage.transaction() as uow:
        await uow.teams.change_phase(team, PhaseChange(NOW, "validation", "creation", "Ann", "testing"))
    creation = await storage.board(team, NOW, "en")
    assert gate_item(creation.gate.items, "funnel_measured").passed is True


async def test_one_logged_step_is_not_a_logged_funnel(storage: SqlStorage) -> None:
    team = await team_with(storage, [done(0, "validation", "Dental clinics")])
    async with storage.transaction() as uow:
        await uow.teams.change_phase(team, PhaseChange(NOW, "discovery", "creation", "Ann", "testing"))
        await uow.teams.log_funnel(team, FunnelLog("contacted", 30, None, NOW), "Ann")
        old = await reference_board(uow, team, NOW, "en")
    board = await storage.board(team, NOW, "en")
    assert_same(board, old)
    assert gate_item(board.gate.items, "funnel_measured").progress == "not yet: /funnel log paid N"


def test_migration_0009_recounts_every_team(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0006")
    _search_index(url, create_statements("sqlite"))  # today's code saves interviews into it; 0014 makes it anew

    async def seeded() -> int:
        storage = SqlStorage(url)
        try:
            team = await team_with(storage, [done(n, "quick", "Dental clinics", (LATE,)) for n in range(12)])
            async with storage.transaction() as uow:  # counts as an older version left them: none of these
                for counted in (t.BoardCount, t.BoardItem, t.BoardWording):
                    await uow.execute(delete(counted))
            return team
        finally:
            await storage.close()

    team = asyncio.run(seeded())
    _search_index(url, drop_statements("sqlite"))
    upgrade(url)

    async def boards() -> tuple[Board, Board]:
        storage = SqlStorage(url)
        try:
            async with storage.transaction() as uow:
                old = await reference_board(uow, team, NOW, "en")
            return await storage.board(team, NOW, "en"), old
        finally:
            await storage.close()

    new, old = asyncio.run(boards())
    assert_same(new, old)
    assert gate_item(new.gate.items, "problem_interviews").progress == "12/15"


def _search_index(url: str, statements: list[str]) -> None:
    """Create or drop the search index on a database migrated to an older revision."""
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()
