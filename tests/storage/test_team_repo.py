"""The team repository on the unit of work, against SQLite and PostgreSQL; and migration 0002 over old data."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from core.analytics.funnel import FunnelLog
from core.app.service import InterviewService
from core.board.team import MemberInfo, Membership, PhaseChange, TeamProfile
from storage.database import alembic_config, current_revision, normalize_url, upgrade
from storage.search_index import include_name
from storage.sql_storage import SqlStorage
from tests.storage.test_storage import VALIDATION, run

AT = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


async def join(storage: SqlStorage, user: str, team: str) -> Membership:
    async with storage.transaction() as uow:
        return await uow.teams.join_team("console", user, user.title(), team)


async def test_team_settings_have_defaults_and_change(storage: SqlStorage) -> None:
    acme = await join(storage, "alice", "acme")
    async with storage.transaction() as uow:
        assert await uow.teams.team(acme.team_id) == TeamProfile(acme.team_id, "acme", "acme")
        await uow.teams.update_team(
            acme.team_id,
            name="Acme Inc",
            timezone="Europe/Lisbon",
            language="ru",
            weekly_target=20,
            goal_total=150,
            target_segment="Dental clinics",
            gates_yaml="discovery: []\n",
            phase="validation",
            digest_chat="telegram:-100123",
            digest_weekday=4,
            digest_hour=17,
        )
        await uow.teams.update_team(acme.team_id)  # nothing to change is fine
    async with storage.transaction() as uow:
        team = await uow.teams.team(acme.team_id)
    assert team == TeamProfile(
        acme.team_id,
        "acme",
        "Acme Inc",
        phase="validation",
        timezone="Europe/Lisbon",
        language="ru",
        weekly_target=20,
        goal_total=150,
        target_segment="Dental clinics",
        gates_yaml="discovery: []\n",
        digest_chat="telegram:-100123",
        digest_weekday=4,
        digest_hour=17,
    )


@pytest.mark.parametrize("field", ["slug", "id", "created_at", "colour"])
async def test_update_team_rejects_fields_it_cannot_change(storage: SqlStorage, field: str) -> None:
    acme = await join(storage, "alice", "acme")
    with pytest.raises(ValueError, match=field):
        async with storage.transaction() as uow:
            await uow.teams.update_team(acme.team_id, name="Renamed", **{field: "x"})
    async with storage.transaction() as uow:
        assert (await uow.teams.team(acme.team_id)).name == "acme"


async def test_unknown_team_is_a_lookup_error(storage: SqlStorage) -> None:
    async with storage.transaction() as uow:
        with pytest.raises(LookupError):
            await uow.teams.team(404)
        with pytest.raises(LookupError):
            await uow.teams.update_team(404, name="Ghost")
        with pytest.raises(LookupError):
            await uow.teams.change_phase(404, PhaseChange(AT, "discovery", "validation", "Alice"))


async def test_members_roles_and_the_teams_of_a_person(storage: SqlStorage) -> None:
    alice = await join(storage, "alice", "acme")
    bob = await join(storage, "bob", "acme")
    alice_globex = await join(storage, "alice", "globex")
    zed = await join(storage, "zed", "globex")
    async with storage.transaction() as uow:
        assert await uow.teams.members(alice.team_id) == [
            MemberInfo(alice.member_id, "Alice", "owner", "console"),
            MemberInfo(bob.member_id, "Bob", "founder", "console"),
        ]
        await uow.teams.set_role(alice.team_id, bob.member_id, "mentor")
        with pytest.raises(LookupError):
            await uow.teams.set_role(alice.team_id, zed.member_id, "mentor")  # zed is in globex, not acme
        with pytest.raises(ValueError):
            await uow.teams.set_role(alice.team_id, bob.member_id, "boss")  # type: ignore[arg-type]
    async with storage.transaction() as uow:
        assert [(m.name, m.role) for m in await uow.teams.members(alice.team_id)] == [
            ("Alice", "owner"),
            ("Bob", "mentor"),
        ]
        assert [(m.name, m.role) for m in await uow.teams.members(zed.team_id)] == [
            ("Alice", "owner"),
            ("Zed", "founder"),
        ]
        teams = await uow.teams.teams_of("console", "alice")
        assert [(team.slug, member, role) for team, member, role in teams] == [
            ("acme", alice.member_id, "owner"),
            ("globex", alice_globex.member_id, "owner"),
        ]
        assert teams[0][0] == await uow.teams.team(alice.team_id)
        assert [(team.slug, role) for team, _m, role in await uow.teams.teams_of("console", "bob")] == [
            ("acme", "mentor")
        ]
        assert await uow.teams.teams_of("telegram", "alice") == []


async def test_joining_again_takes_the_same_seat_and_changes_nothing(storage: SqlStorage) -> None:
    alice = await join(storage, "alice", "acme")
    async with storage.transaction() as uow:
        again = await uow.teams.join_team("console", "alice", "Someone Else", "acme", "Another Name")
        elsewhere = await uow.teams.join_team("telegram", "alice", "Alice T", "acme")
        assert again == alice
        assert elsewhere.team_id == alice.team_id and elsewhere.member_id != alice.member_id
        assert (await uow.teams.team(alice.team_id)).name == "acme"
        assert [(m.name, m.role, m.platform) for m in await uow.teams.members(alice.team_id)] == [
            ("Alice", "owner", "console"),
            ("Alice T", "founder", "telegram"),
        ]


async def test_hypotheses_are_numbered_and_statuses_keep_their_history(storage: SqlStorage) -> None:
    acme = await join(storage, "alice", "acme")
    async with storage.transaction() as uow:
        h1 = await uow.hypotheses.add(acme.team_id, "Clinics lose hours", "value_propositions", "8 of 10", "Alice", AT)
        h2 = await uow.hypotheses.add(acme.team_id, "Managers own scheduling", None, None, "Bob", AT)
        await uow.hypotheses.set_status(
            acme.team_id, "H1", "testing", "first interviews in", "Bob", AT + timedelta(days=1)
        )
        await uow.hypotheses.set_status(
            acme.team_id, "h1", "validated", "9 of 10 said so", "Alice", AT + timedelta(days=2)
        )
    assert (h1, h2) == ("H1", "H2")
    async with storage.transaction() as uow:
        first, second = await uow.hypotheses.all(acme.team_id)
        with pytest.raises(LookupError):
            await uow.hypotheses.set_status(acme.team_id, "H9", "testing", "no such", "Alice", AT)
        with pytest.raises(ValueError):
            await uow.hypotheses.set_status(acme.team_id, "H1", "pivoted", "only a pivot pivots", "Alice", AT)
    assert (first.code, first.status, first.block, first.criterion) == (
        "H1",
        "validated",
        "value_propositions",
        "8 of 10",
    )
    assert [(e.kind, e.by, e.status, e.reason, e.at) for e in first.history] == [
        ("created", "Alice", "untested", None, AT),
        ("status", "Bob", "testing", "first interviews in", AT + timedelta(days=1)),
        ("status", "Alice", "validated", "9 of 10 said so", AT + timedelta(days=2)),
    ]
    assert (second.code, second.status, second.block, second.criterion) == ("H2", "untested", None, None)
    assert [(e.kind, e.by) for e in second.history] == [("created", "Bob")]
    assert first.evidence == second.evidence == ()


async def test_pivot_chain_links_and_histories(storage: SqlStorage) -> None:
    acme = await join(storage, "alice", "acme")
    later = AT + timedelta(days=3)
    async with storage.transaction() as uow:
        await uow.hypotheses.add(acme.team_id, "Clinics lose hours", "value_propositions", "8 of 10", "Alice", AT)
        assert (
            await uow.hypotheses.pivot(acme.team_id, "H1", "Clinics lose revenue", "money beats time", "Bob", later)
            == "H2"
        )
        assert (
            await uow.hypotheses.pivot(
                acme.team_id, "H2", "Chains lose revenue", "single clinics do not buy", "Alice", later
            )
            == "H3"
        )
        with pytest.raises(ValueError):
            await uow.hypotheses.set_status(acme.team_id, "H1", "testing", "too late", "Alice", later)
        with pytest.raises(ValueError):
            await uow.hypotheses.pivot(acme.team_id, "H2", "Again", "twice", "Alice", later)
        with pytest.raises(LookupError):
            await uow.hypotheses.pivot(acme.team_id, "H7", "Nothing", "no such", "Alice", later)
        refs = await uow.hypotheses.linkable(acme.team_id)  # what an interview may link: the live one only
    assert [(ref.code, ref.status) for ref in refs] == [("H3", "untested")]
    async with storage.transaction() as uow:
        h1, h2, h3 = await uow.hypotheses.all(acme.team_id)
    assert [(h.code, h.status, h.predecessor, h.successor) for h in (h1, h2, h3)] == [
        ("H1", "pivoted", None, "H2"),
        ("H2", "pivoted", "H1", "H3"),
        ("H3", "untested", "H2", None),
    ]
    assert {(h.block, h.criterion) for h in (h1, h2, h3)} == {("value_propositions", "8 of 10")}
    assert (h2.statement, h3.statement) == ("Clinics lose revenue", "Chains lose revenue")
    assert [(e.kind, e.status, e.by, e.reason, e.successor, e.at) for e in h1.history] == [
        ("created", "untested", "Alice", None, None, AT),
        ("pivoted", "pivoted", "Bob", "money beats time", "H2", later),
    ]
    assert [(e.kind, e.successor) for e in h2.history] == [("created", None), ("pivoted", "H3")]
    assert "H1" in (h2.history[0].reason or "") and "money beats time" in (h2.history[0].reason or "")
    assert h2.history[1].reason == "single clinics do not buy"
    [created] = h3.history
    assert created.kind == "created" and "H2" in (created.reason or "") and created.by == "Alice"


async def test_numbering_is_safe_under_concurrent_adds(storage: SqlStorage) -> None:
    acme = await join(storage, "alice", "acme")

    async def add(n: int) -> str:
        async with storage.transaction() as uow:
            return await uow.hypotheses.add(acme.team_id, f"Hypothesis number {n}", None, None, "Alice", AT)

    codes = await asyncio.gather(*(add(n) for n in range(8)))
    assert sorted(codes, key=lambda code: int(code[1:])) == [f"H{n}" for n in range(1, 9)]


async def test_interviews_bring_evidence_and_created_events(service: InterviewService, storage: SqlStorage) -> None:
    await run(service, "boris", *VALIDATION)  # creates H1 from the interview, supported
    await run(service, "boris", *[*VALIDATION[:-5], "1", "2", "/done", "1"])  # links H1, refutes
    export = await storage.export_data()
    [team] = export.teams
    async with storage.transaction() as uow:
        [h1] = await uow.hypotheses.all(team.id)
        interviews = await uow.interviews.summaries(team.id)
    assert interviews == export.interviews and len(interviews) == 2
    assert [(e.kind, e.by, e.status) for e in h1.history] == [("created", "Boris", "untested")]
    assert [(e.hypothesis, e.interviewee, e.stance, e.strength) for e in h1.evidence] == [
        ("H1", "Boris", "supports", "medium"),  # H1 has no canvas block: a commitment proves nothing placed
        ("H1", "Boris", "refutes", "medium"),
    ]
    assert [e.interview_id for e in h1.evidence] == [i.id for i in interviews]
    assert [e.at for e in h1.evidence] == [i.completed_at for i in interviews]
    assert all(e.at.tzinfo is not None for e in h1.evidence)


async def test_item_merges_upsert(storage: SqlStorage) -> None:
    acme = await join(storage, "alice", "acme")
    long_key = "re-booking patients by hand every single day " * 200  # longer than a btree index row allows
    async with storage.transaction() as uow:
        await uow.teams.add_merge(acme.team_id, "slow reports", "manual reporting", "Alice", AT)
        await uow.teams.add_merge(acme.team_id, long_key, "re-booking", "Alice", AT)
        await uow.teams.add_merge(acme.team_id, "slow reports", "reporting takes days", "Bob", AT + timedelta(hours=1))
    async with storage.transaction() as uow:
        assert await uow.teams.merges(acme.team_id) == {"slow reports": "reporting takes days", long_key: "re-booking"}


async def test_gate_items_tick_and_untick(storage: SqlStorage) -> None:
    acme = await join(storage, "alice", "acme")
    async with storage.transaction() as uow:
        await uow.teams.tick(acme.team_id, "discovery", "problem_fit", "Alice", AT)
        await uow.teams.tick(acme.team_id, "discovery", "problem_fit", "Bob", AT)  # ticking twice is one tick
        await uow.teams.tick(acme.team_id, "validation", "pricing_page", "Bob", AT)
        assert await uow.teams.ticks(acme.team_id) == {"discovery.problem_fit", "validation.pricing_page"}
        await uow.teams.tick(acme.team_id, "discovery", "problem_fit", "Alice", AT, done=False)
        await uow.teams.tick(acme.team_id, "discovery", "never_ticked", "Alice", AT, done=False)
    async with storage.transaction() as uow:
        assert await uow.teams.ticks(acme.team_id) == {"validation.pricing_page"}


async def test_funnel_logs_keep_order_and_time(storage: SqlStorage) -> None:
    acme = await join(storage, "alice", "acme")
    lisbon_evening = datetime(2026, 1, 6, 23, 30, tzinfo=timezone(timedelta(hours=-3)))
    async with storage.transaction() as uow:
        await uow.teams.log_funnel(acme.team_id, FunnelLog("paid", 2, None, lisbon_evening), "Bob")
        await uow.teams.log_funnel(acme.team_id, FunnelLog("contacted", 40, "Dental clinics", AT), "Alice")
    async with storage.transaction() as uow:
        logs = await uow.teams.funnel_logs(acme.team_id)
    assert logs == [FunnelLog("contacted", 40, "Dental clinics", AT), FunnelLog("paid", 2, None, lisbon_evening)]
    assert logs[1].at.utcoffset() == timedelta(0) and logs[1].at == datetime(2026, 1, 7, 2, 30, tzinfo=UTC)


async def test_phase_change_moves_the_team_and_is_kept(storage: SqlStorage) -> None:
    acme = await join(storage, "alice", "acme")
    first = PhaseChange(AT, "discovery", "validation", "Alice", "investor demo day")
    second = PhaseChange(AT + timedelta(days=30), "validation", "creation", "Bob")
    async with storage.transaction() as uow:
        await uow.teams.change_phase(acme.team_id, first)
        assert (await uow.teams.team(acme.team_id)).phase == "validation"
        await uow.teams.change_phase(acme.team_id, second)
    async with storage.transaction() as uow:
        assert (await uow.teams.team(acme.team_id)).phase == "creation"
        assert await uow.teams.phase_changes(acme.team_id) == [first, second]


async def test_teams_never_see_each_others_board(service: InterviewService, storage: SqlStorage) -> None:
    await run(service, "boris", *VALIDATION)  # team "default": an interview and H1
    acme = (await storage.export_data()).teams[0]
    globex = await join(storage, "zed", "globex")
    async with storage.transaction() as uow:
        await uow.hypotheses.add(acme.id, "Acme only", None, None, "Boris", AT)
        await uow.teams.add_merge(acme.id, "a", "b", "Boris", AT)
        await uow.teams.log_funnel(acme.id, FunnelLog("contacted", 10, None, AT), "Boris")
        await uow.teams.change_phase(acme.id, PhaseChange(AT, "discovery", "validation", "Boris", "why not"))
        await uow.teams.tick(acme.id, "discovery", "problem_fit", "Boris", AT)
        with pytest.raises(LookupError):
            await uow.hypotheses.set_status(globex.team_id, "H1", "testing", "not ours", "Zed", AT)
        with pytest.raises(LookupError):
            await uow.hypotheses.pivot(globex.team_id, "H1", "Not ours either", "no", "Zed", AT)
        assert await uow.hypotheses.add(globex.team_id, "Globex's own first", None, None, "Zed", AT) == "H1"
    async with storage.transaction() as uow:
        assert [h.code for h in await uow.hypotheses.all(acme.id)] == ["H1", "H2"]
        [own] = await uow.hypotheses.all(globex.team_id)
        assert (own.statement, own.evidence) == ("Globex's own first", ())
        assert await uow.teams.merges(globex.team_id) == {}
        assert await uow.teams.funnel_logs(globex.team_id) == []
        assert await uow.teams.phase_changes(globex.team_id) == []
        assert await uow.teams.ticks(globex.team_id) == set()
        assert await uow.interviews.summaries(globex.team_id) == []
        assert (await uow.teams.team(globex.team_id)).phase == "discovery"
        assert [m.name for m in await uow.teams.members(globex.team_id)] == ["Zed"]
        assert len(await uow.interviews.summaries(acme.id)) == 1
        assert await uow.interviews.summaries(404) == []


# --- migration 0002 over a 0001 database that holds data ---


OLD_ROWS = [
    "INSERT INTO team (id, slug, name, language, timezone, created_at) "
    "VALUES (1, 'acme', 'Acme', 'ru', 'Europe/Lisbon', :at)",
    "INSERT INTO member (id, team_id, platform, user_key, display_name, role, created_at) "
    "VALUES (1, 1, 'telegram', '42', 'Alice', 'owner', :at)",
    "INSERT INTO hypothesis (id, team_id, code, number, block, statement, criterion, status, created_at) "
    "VALUES (1, 1, 'H1', 1, 'value_propositions', 'Clinics lose hours', '8 of 10', 'testing', :at)",
    "INSERT INTO interview (id, team_id, member_id, script, script_version, lang, status, started_at, "
    "completed_at, alias) VALUES ('i1', 1, 1, 'quick', 1, 'en', 'completed', :at, :at, 'Maria')",
    "INSERT INTO evidence (id, interview_id, hypothesis_id, hypothesis_code, stance, strength, quote) "
    "VALUES (1, 'i1', 1, 'H1', 'supports', 'medium', 'we call nine patients')",
]


def _write_0001_data(url: str) -> None:
    engine = create_engine(normalize_url(url))
    with engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement), {"at": AT})
        if engine.dialect.name == "postgresql":  # explicit ids above: move the sequences past them
            for table in ("team", "member", "hypothesis", "evidence"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1)"))
    engine.dispose()


def _schema_diff(url: str) -> list[object]:
    engine = create_engine(normalize_url(url))
    with engine.connect() as connection:
        # The search index's tables differ by database and are kept out of the models (storage.search_index).
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff: list[object] = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    return diff


async def test_migration_0002_keeps_old_data_and_fills_defaults(empty_url: str) -> None:
    upgrade(empty_url, "0001")
    _write_0001_data(empty_url)
    upgrade(empty_url)
    assert current_revision(empty_url) == ScriptDirectory.from_config(alembic_config(empty_url)).get_current_head()
    assert _schema_diff(empty_url) == []  # the migrated schema is exactly the models
    storage = SqlStorage(empty_url)
    try:
        async with storage.transaction() as uow:
            assert await uow.teams.team(1) == TeamProfile(1, "acme", "Acme", timezone="Europe/Lisbon", language="ru")
            assert await uow.teams.members(1) == [MemberInfo(1, "Alice", "owner", "telegram")]
            [old] = await uow.hypotheses.all(1)
            assert (old.code, old.status, old.history, old.predecessor, old.successor) == (
                "H1",
                "testing",
                (),
                None,
                None,
            )
            assert [(e.interviewee, e.stance, e.at) for e in old.evidence] == [("Maria", "supports", AT)]
            assert [i.record.alias for i in await uow.interviews.summaries(1)] == ["Maria"]
            assert await uow.hypotheses.pivot(1, "H1", "Clinics lose revenue", "money beats time", "Alice", AT) == "H2"
            await uow.teams.tick(1, "discovery", "problem_fit", "Alice", AT)
        async with storage.transaction() as uow:
            assert [(h.code, h.successor, h.predecessor) for h in await uow.hypotheses.all(1)] == [
                ("H1", "H2", None),
                ("H2", None, "H1"),
            ]
    finally:
        await storage.close()


async def test_migration_0002_downgrades_and_upgrades_again(empty_url: str) -> None:
    upgrade(empty_url, "0001")
    _write_0001_data(empty_url)
    upgrade(empty_url)
    command.downgrade(alembic_config(empty_url), "0001")
    assert current_revision(empty_url) == "0001"
    upgrade(empty_url)
    assert _schema_diff(empty_url) == []
    storage = SqlStorage(empty_url)
    try:
        async with storage.transaction() as uow:
            assert (await uow.teams.team(1)).phase == "discovery"
            assert [h.code for h in await uow.hypotheses.all(1)] == ["H1"]
    finally:
        await storage.close()
