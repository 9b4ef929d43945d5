"""The board's counts kept at write time (storage.tally_write): the same as counting afresh, under merges, zones off
the quarter hour, SQLite's two spellings of a moment, and after migration 0006 fills them for old data.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core.board.snapshot import Board
from core.domain import InterviewRecord, InterviewSummary, Pain, PriceAnswers
from core.transfer.importer import ImportBatch, parse_price_csv
from storage import tables as t
from storage.database import upgrade
from storage.importing import import_batch
from storage.sql_storage import SqlStorage
from storage.tally import digest
from storage.tally_write import rebuild
from tests.board_reference import reference_board
from tests.storage.board_data import NOW, interviews
from tests.storage.test_board_query import assert_same, seed

COLUMNS = {
    t.BoardCount: ("facet", "slot", "value", "count", "first", "last"),
    t.BoardItem: ("kind", "scope", "group_key", "interviewees", "mentions", "severity_sum", "severity_n"),
    t.BoardWording: ("kind", "scope", "key_hash", "norm_key", "text", "mentions", "first"),
}


async def counts(storage: SqlStorage, team_id: int) -> dict[Any, list[tuple[Any, ...]]]:
    """Every count row of a team, without ids, sorted."""
    async with storage.transaction() as uow:
        found = {}
        for table, names in COLUMNS.items():
            columns = [getattr(table, name) for name in names]
            rows = await uow.execute(select(*columns).where(table.team_id == team_id))  # type: ignore[attr-defined]
            found[table] = sorted((tuple(row) for row in rows), key=repr)
        return found


async def test_counts_kept_as_interviews_complete_equal_a_recount(storage: SqlStorage) -> None:
    acme, globex = await seed(storage)  # interviews complete through uow.interviews.complete; merges change afterwards
    for team in (acme, globex):
        kept = await counts(storage, team)
        async with storage.transaction() as uow:
            await rebuild(uow.execute, uow.dialect, team)
        assert await counts(storage, team) == kept
        assert all(kept.values())


async def test_merges_changed_again_and_again_keep_the_board_exact(storage: SqlStorage) -> None:
    acme, _globex = await seed(storage)
    for key, into in (
        ("late invoices", "slow payments"),  # the target of an earlier merge merged onward: a chain
        ("slow payments", "no-shows"),  # re-merged elsewhere
        ("no-shows", "late invoices"),  # now a cycle of three
        ("get paid on time", "fill the diary"),
        ("happy patients", "happy patients"),  # into itself
    ):
        async with storage.transaction() as uow:
            await uow.teams.add_merge(acme, key, into, "Ann", NOW)
            old = await reference_board(uow, acme, NOW, "en")
            assert_same(await uow.teams.board(acme, NOW, "en"), old)
        assert_same(await storage.board(acme, NOW, "en"), old)


async def test_a_zone_off_the_quarter_hour_is_counted_exactly(storage: SqlStorage) -> None:
    # Monrovia kept -0:44:30 until 1972: its local midnights then fell between quarter hours
    start = datetime(1965, 3, 1, 0, 30, tzinfo=UTC)
    batch = ImportBatch()
    for n in range(40):
        moment = start + timedelta(hours=7 * n, minutes=n)
        record = InterviewRecord(alias=f"P{n}", pains=(Pain("late invoices", 4),))
        batch.interviews.append(
            InterviewSummary(f"old{n}", "acme", "Ann", "discovery", "completed", moment, moment, {}, record)
        )
    async with storage.transaction() as uow:
        await import_batch(uow, batch, NOW)
        team = (await uow.teams.join_team("import", "Ann", "Ann", "acme")).team_id
        await uow.teams.update_team(team, timezone="Africa/Monrovia")
        old = await reference_board(uow, team, datetime(1965, 3, 10, 12, tzinfo=UTC), "en")
    board = await storage.board(team, datetime(1965, 3, 10, 12, tzinfo=UTC), "en")
    assert_same(board, old)
    assert sum(count for _year, _week, count in board.per_week) == 40


def _raw_rows(path: Path, spellings: list[str]) -> None:
    """A team written as an old version (or the driver's default adapter) would: moments in both spellings."""
    with sqlite3.connect(path) as raw:
        raw.execute(
            "INSERT INTO team (id, slug, name, language, timezone, created_at) "
            "VALUES (7, 'acme', 'Acme', 'en', 'UTC', '2026-11-01 09:00:00')"
        )
        raw.execute(
            "INSERT INTO member (id, team_id, platform, user_key, display_name, role, created_at) "
            "VALUES (3, 7, 'console', 'ann', 'Ann', 'owner', '2026-11-01 09:00:00')"
        )
        raw.execute(
            "INSERT INTO hypothesis (id, team_id, code, number, statement, status, created_at) "
            "VALUES (1, 7, 'H1', 1, 'They pay', 'testing', '2026-11-01 09:00:00')"
        )
        for n in range(60):
            at = spellings[n % len(spellings)].format(day=2 + n // 8)
            raw.execute(
                "INSERT INTO interview (id, team_id, member_id, script, script_version, lang, status, started_at, "
                "completed_at, alias, segment, sean_ellis) VALUES (?, 7, 3, 'discovery', 1, 'en', 'completed', ?, ?, "
                "?, 'Dentists', 'very')",
                (f"i{n:02d}", at, at, f"Person {n}"),
            )
            raw.execute(
                "INSERT INTO item (interview_id, team_id, kind, position, text, norm_key, key_hash, severity) "
                "VALUES (?, 7, 'pain', 0, 'Late invoices', 'late invoices', ?, 4)",
                (f"i{n:02d}", digest("late invoices")),
            )
            raw.execute(
                "INSERT INTO price_answer (interview_id, too_cheap, bargain, getting_expensive, too_expensive, "
                "currency) VALUES (?, 5, 10, ?, 40, 'EUR')",
                (f"i{n:02d}", 20 + n % 3),
            )
            raw.execute(
                "INSERT INTO commitment (interview_id, kind, amount, currency) VALUES (?, 'money', 12.5, 'EUR')",
                (f"i{n:02d}",),
            )
            raw.execute(
                "INSERT INTO evidence (interview_id, hypothesis_id, hypothesis_code, stance, strength, quote) "
                "VALUES (?, ?, 'H1', 'supports', 'strong', ?)",
                (f"i{n:02d}", 1 if n % 2 else None, f"quote {n}"),
            )


def test_migration_0006_counts_old_data_and_reads_both_spellings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0005")
    # eight interviews share each second, four in each spelling, so the latest fifty are cut inside a second
    _raw_rows(tmp_path / "old.db", ["2026-11-{day:02d} 09:00:00+00:00", "2026-11-{day:02d} 09:00:00.000000"])
    upgrade(url)

    new, old = asyncio.run(boards_of_team_7(url))
    assert_same(new, old)
    assert new.pace.total == 60 and new.top_pains[0].interviewees == 60 and new.prices[0].n == 60
    assert len(new.hypotheses[0].hypothesis.evidence) == 20


async def test_price_answers_not_increasing_are_counted_as_dropped(storage: SqlStorage) -> None:
    batch = interviews("acme", 40)
    record = InterviewRecord(
        alias="Backwards", price=PriceAnswers(None, *(Decimal(v) for v in (50, 10, 20, 30)), "XTS")
    )
    batch.interviews.append(
        InterviewSummary("backwards", "acme", "Ann", "validation", "completed", NOW, NOW, {}, record)
    )
    async with storage.transaction() as uow:
        await import_batch(uow, batch, NOW)
        team = (await uow.teams.join_team("import", "Ann", "Ann", "acme")).team_id
        old = await reference_board(uow, team, NOW, "en")
    board = await storage.board(team, NOW, "en")
    assert_same(board, old)
    assert [(p.currency, p.n, p.dropped) for p in board.prices if p.currency == "XTS"] == [("XTS", 0, 1)]


async def test_survey_rows_count_for_prices_never_as_interviews(storage: SqlStorage) -> None:
    batch = interviews("acme", 40)
    survey = parse_price_csv("too_cheap,bargain,getting_expensive,too_expensive\n" + "5,10,20,40\n" * 30, "s.csv",
                             "acme", "Ann", NOW - timedelta(days=1), "EUR")  # fmt: skip
    async with storage.transaction() as uow:
        await import_batch(uow, batch, NOW)
        team = (await uow.teams.join_team("import", "Ann", "Ann", "acme")).team_id
        before = await uow.teams.board(team, NOW, "en")
        await import_batch(uow, survey, NOW)
        old = await reference_board(uow, team, NOW, "en")
    board = await storage.board(team, NOW, "en")
    assert_same(board, old)
    assert board.pace == before.pace and board.per_week == before.per_week and board.per_founder == before.per_founder
    assert board.funnel == before.funnel and board.gate == before.gate and board.interviews == before.interviews
    eur = [price.n for price in board.prices if price.currency == "EUR"]
    assert eur and eur[0] >= 30 + sum(p.n for p in before.prices if p.currency == "EUR")


def test_migration_0007_keeps_one_link_per_hypothesis_dates_evidence_and_recounts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0006")
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
            "INSERT INTO hypothesis (id, team_id, code, number, statement, status, created_at) "
            "VALUES (1, 7, 'H1', 1, 'They pay', 'testing', '2026-11-01 09:00:00')"
        )
        for n, (script, dated) in enumerate([("discovery", "2026-11-10"), ("price_survey", None)]):
            raw.execute(
                "INSERT INTO interview (id, team_id, member_id, script, script_version, lang, status, started_at, "
                "completed_at, alias, interview_date) VALUES (?, 7, 3, ?, 1, 'en', 'completed', "
                "'2026-11-20 09:00:00+00:00', '2026-11-20 09:30:00+00:00', 'Pat', ?)",
                (f"i{n}", script, dated),
            )
            raw.execute(
                "INSERT INTO price_answer (interview_id, too_cheap, bargain, getting_expensive, too_expensive, "
                "currency) VALUES (?, 5, 10, 20, 40, 'EUR')",
                (f"i{n}",),
            )
        for stance in ("supports", "refutes"):  # an older version let one interview take both sides
            raw.execute(
                "INSERT INTO evidence (interview_id, hypothesis_id, hypothesis_code, stance, strength, team_id, "
                "happened_at, alias) VALUES ('i0', 1, 'H1', ?, 'medium', 7, '2026-11-20 09:30:00+00:00', 'Pat')",
                (stance,),
            )
        raw.execute(  # what the old write path counted: the survey row as an interview
            "INSERT INTO board_count (team_id, facet, slot, value, count, first, last) "
            "VALUES (7, 'total', '', NULL, 2, '2026-11-20 09:30:00.000000', '2026-11-20 09:30:00.000000')"
        )
    upgrade(url)

    new, old = asyncio.run(boards_of_team_7(url))
    assert_same(new, old)
    assert new.pace.total == 1 and new.prices[0].n == 2
    [evidence] = new.hypotheses[0].hypothesis.evidence
    assert (evidence.stance, evidence.at) == ("refutes", datetime(2026, 11, 10, tzinfo=UTC))
    assert new.hypotheses[0].tally.total == 1


async def boards_of_team_7(url: str) -> tuple[Board, Board]:
    """Team 7's board as the counts give it after an upgrade, and as counting afresh gives it."""
    storage = SqlStorage(url)
    try:
        async with storage.transaction() as uow:
            old = await reference_board(uow, 7, NOW, "en")
        return await storage.board(7, NOW, "en"), old
    finally:
        await storage.close()
