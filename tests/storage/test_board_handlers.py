"""Typed board changes through their handlers on a real unit of work (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from core.analytics.funnel import FunnelLog
from core.board.changes import (
    AddHypothesis,
    AdvancePhase,
    Change,
    LogFunnel,
    MergeItems,
    Pivot,
    SetHypothesisStatus,
    TickGateItem,
)
from core.board.commands import Caller, Outcome, run_change, run_command
from core.board.fields import FORM, FieldError
from core.board.slash import parse_change
from core.board.team_changes import ChangeTeamSetting, SetRole, UseTeam
from core.domain import InterviewRecord, InterviewSummary, Pain
from core.transfer.importer import ImportBatch
from storage.importing import import_batch
from storage.sql_storage import SqlStorage

AT = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


async def member(storage: SqlStorage, user: str, team: str = "acme", role: str | None = None) -> Caller:
    """A console caller in a team (joining it as needed), optionally with another role."""
    async with storage.transaction() as uow:
        seat = await uow.teams.join_team("console", user, user.title(), team)
        if role:
            await uow.teams.set_role(seat.team_id, seat.member_id, role)  # type: ignore[arg-type]
        roles = {m.id: m.role for m in await uow.teams.members(seat.team_id)}
    return Caller(seat.team_id, seat.member_id, user.title(), roles[seat.member_id], "en", "console", user)


async def perform(storage: SqlStorage, caller: Caller, change: Change) -> Outcome:
    async with storage.transaction() as uow:
        return await run_change(change, caller, uow, AT)


async def slash(storage: SqlStorage, caller: Caller, name: str, arg: str) -> str:
    async with storage.transaction() as uow:
        result = await run_command(name, arg, caller, uow, AT)
    return "\n".join(reply.plain_text for reply in result.replies)


def text(outcome: Outcome) -> str:
    return "\n".join(reply.plain_text for reply in outcome.replies)


async def test_a_change_built_by_a_form_runs_through_the_same_handler_as_its_slash_command(
    storage: SqlStorage,
) -> None:
    alice = await member(storage, "alice")
    typed = "add vp Clinics lose hours re-booking patients | 8 of 10"
    form = AddHypothesis.build(statement="Clinics lose hours re-booking patients", block="vp", criterion="8 of 10")
    assert parse_change("hypothesis", typed, "en") == form
    assert isinstance(form, AddHypothesis)
    assert await slash(storage, alice, "hypothesis", typed) == "Added H1: Clinics lose hours re-booking patients"
    outcome = await perform(storage, alice, form)
    assert text(outcome) == "Added H2: Clinics lose hours re-booking patients" and outcome.errors == []
    async with storage.transaction() as uow:
        first, second = await uow.hypotheses.all(alice.team_id)
    assert (first.statement, first.block, first.criterion) == (second.statement, second.block, second.criterion)
    assert (second.block, second.criterion, second.history[0].by) == ("value_propositions", "8 of 10", "Alice")


async def test_hypothesis_changes_and_their_errors_by_field(storage: SqlStorage) -> None:
    alice = await member(storage, "alice")
    assert "Tip: give it a canvas block" in text(await perform(storage, alice, AddHypothesis("Managers own it")))
    assert text(await perform(storage, alice, SetHypothesisStatus("H1", "testing", "first calls"))) == (
        "H1 is now testing."
    )
    missing = await perform(storage, alice, SetHypothesisStatus("H9", "testing", "no such"))
    assert missing.errors == [FieldError("code", "There is no H9. /hypotheses lists them all.")]
    assert missing.replies == []
    pivoted = await perform(storage, alice, Pivot("H1", "Managers own scheduling alone", "the owner never books"))
    assert text(pivoted) == "H1 is pivoted to H2: Managers own scheduling alone"
    again = await perform(storage, alice, Pivot("H1", "Another idea", "why"))
    assert again.errors == [FieldError("code", "H1 was pivoted already; pivot its successor.")]
    stale = await perform(storage, alice, SetHypothesisStatus("H1", "validated", "too late"))
    assert stale.errors == [FieldError("code", "H1 was pivoted; change its successor instead.")]
    async with storage.transaction() as uow:
        old, new = await uow.hypotheses.all(alice.team_id)
    assert (old.status, new.status, new.statement) == ("pivoted", "untested", "Managers own scheduling alone")


async def test_phase_changes_check_the_gate_and_its_manual_items(storage: SqlStorage) -> None:
    alice = await member(storage, "alice")
    refused = await perform(storage, alice, AdvancePhase())
    assert [error.field for error in refused.errors] == ["reason"]
    assert "Customer Discovery" in text(refused)  # the gate is shown next to the refusal
    moved = await perform(storage, alice, AdvancePhase("demo day forces pricing"))
    assert "Welcome to Customer Validation" in text(moved) and "reason is recorded" in text(moved)
    await perform(storage, alice, AdvancePhase("on to creation"))
    unknown = await perform(storage, alice, TickGateItem("no_such_item"))
    ids = "scalable_channels, acquisition_cost, market_type, marketing_infrastructure, systematic_sales"  # gate order
    assert unknown.errors == [FieldError("item", f"Tick one of this phase's manual items: {ids}.")]
    ticked = await perform(storage, alice, TickGateItem("scalable_channels"))
    assert "✅ Scalable sales and marketing channels chosen and tested" in text(ticked)
    async with storage.transaction() as uow:
        assert await uow.teams.ticks(alice.team_id) == {"creation.scalable_channels"}
        history = await uow.teams.phase_changes(alice.team_id)
    assert [(c.to_phase, c.override_reason) for c in history] == [
        ("validation", "demo day forces pricing"),
        ("creation", "on to creation"),
    ]
    await perform(storage, alice, TickGateItem("scalable_channels", done=False))
    await perform(storage, alice, AdvancePhase("on to building"))
    last = await perform(storage, alice, AdvancePhase("and beyond"))
    assert last.errors == [FieldError(FORM, "Company Building is the last phase.")]
    async with storage.transaction() as uow:
        assert await uow.teams.ticks(alice.team_id) == set()


async def interviewed(storage: SqlStorage, team: str, *pains: str) -> None:
    """A completed interview of the team (founder Alice) that named these pains."""
    record = InterviewRecord(alias="Pat", pains=tuple(Pain(text, 3) for text in pains))
    summary = InterviewSummary(f"iv-{len(pains)}", team, "Alice", "discovery", "completed", AT, AT, {}, record)
    async with storage.transaction() as uow:
        await import_batch(uow, ImportBatch(interviews=[summary]), AT)


async def test_funnel_and_merge_changes_are_stored(storage: SqlStorage) -> None:
    alice = await member(storage, "alice")
    await interviewed(storage, "acme", "Slow reports", "Manual reporting")
    funnel = await perform(storage, alice, LogFunnel("contacted", 40, "dental clinics 🦷"))
    assert "dental clinics 🦷: 40 → 0 (0%) → 0 → 0 → 0" in text(funnel)
    merged = await perform(storage, alice, MergeItems("Slow  Reports", "manual reporting."))
    assert text(merged) == "Merged “Slow  Reports” into “manual reporting.”."
    async with storage.transaction() as uow:
        assert await uow.teams.funnel_logs(alice.team_id) == [FunnelLog("contacted", 40, "dental clinics 🦷", AT)]
        assert await uow.teams.merges(alice.team_id) == {"slow reports": "manual reporting"}


async def test_a_merge_of_a_text_that_matches_no_item_says_so_and_stores_nothing(storage: SqlStorage) -> None:
    alice = await member(storage, "alice")
    await interviewed(storage, "acme", "Slow reports", "Manual reporting")
    await interviewed(storage, "globex", "Late invoices")  # another team's item is not one of acme's
    typo = await perform(storage, alice, MergeItems("slow reprots", "Manual reporting"))
    assert typo.errors == [
        FieldError(
            "source",
            "No pain, job or gain of your interviews reads “slow reprots”; nothing was merged. Copy it from /status.",
        )
    ]
    both = await slash(storage, alice, "merge", "late invoices => tax forms")
    assert "“late invoices”" in both and "“tax forms”" in both and "Merged" not in both
    async with storage.transaction() as uow:
        assert await uow.teams.merges(alice.team_id) == {}


async def test_team_settings_roles_and_switching(storage: SqlStorage) -> None:
    alice = await member(storage, "alice")
    await member(storage, "mia")
    assert text(await perform(storage, alice, ChangeTeamSetting("target", 12))) == "Saved: target = 12"
    await perform(storage, alice, ChangeTeamSetting("timezone", "Europe/Lisbon"))
    await perform(storage, alice, ChangeTeamSetting("segment", "Стоматологии"))
    assert text(await perform(storage, alice, SetRole("MIA", "mentor"))) == "Mia is now a mentor (read-only)."
    nobody = await perform(storage, alice, SetRole("Zed", "mentor"))
    assert [error.field for error in nobody.errors] == ["member"]
    async with storage.transaction() as uow:
        team = await uow.teams.team(alice.team_id)
        roles = [(m.name, m.role) for m in await uow.teams.members(alice.team_id)]
    assert (team.weekly_target, team.timezone, team.target_segment) == (12, "Europe/Lisbon", "Стоматологии")
    assert roles == [("Alice", "owner"), ("Mia", "mentor")]
    globex = await member(storage, "alice", "globex")
    switched = await perform(storage, alice, UseTeam("globex"))
    assert switched.switch_to == (globex.team_id, globex.member_id) and text(switched) == "Now working in globex."
    stranger = await perform(storage, alice, UseTeam("initech"))
    assert stranger.errors == [FieldError("slug", "You are not in a team called initech. Your teams: acme, globex.")]
    busy = await perform(storage, replace(alice, interview_open=True), UseTeam("globex"))
    assert busy.switch_to is None and [error.field for error in busy.errors] == [FORM]


EVERY_CHANGE: list[Change] = [
    AddHypothesis("Clinics lose hours"),
    SetHypothesisStatus("H1", "testing", "why"),
    Pivot("H1", "Clinics lose money", "why"),
    AdvancePhase("why"),
    TickGateItem("scalable_channels"),
    LogFunnel("paid", 3),
    MergeItems("a", "b"),
    ChangeTeamSetting("target", 12),
    SetRole("Alice", "mentor"),
]


@pytest.mark.parametrize("change", EVERY_CHANGE, ids=lambda change: type(change).__name__)
async def test_mentors_and_group_chats_change_nothing(storage: SqlStorage, change: Change) -> None:
    alice = await member(storage, "alice")
    mia = await member(storage, "mia", role="mentor")
    refused = await perform(storage, mia, change)
    assert refused.errors == [
        FieldError(FORM, "Mentors can read the board but not change it; ask a founder of the team.")
    ]
    in_group = await perform(storage, replace(alice, is_group=True), change)
    assert in_group.errors == [FieldError(FORM, "Change things in a private chat with me; here I only show the board.")]
    async with storage.transaction() as uow:
        assert await uow.hypotheses.all(alice.team_id) == [] and await uow.teams.funnel_logs(alice.team_id) == []
        assert (await uow.teams.team(alice.team_id)).weekly_target == 15
        assert [m.role for m in await uow.teams.members(alice.team_id)] == ["owner", "mentor"]


async def test_only_the_owner_changes_roles_and_a_mentor_may_still_switch_teams(storage: SqlStorage) -> None:
    await member(storage, "alice")
    bob = await member(storage, "bob")
    refused = await perform(storage, bob, SetRole("Alice", "mentor"))
    assert refused.errors == [FieldError(FORM, "Only the team's owner changes roles.")]
    assert "Only the team's owner" in await slash(storage, bob, "team", "role Alice boss")
    mia = await member(storage, "mia", role="mentor")
    other = await member(storage, "mia", "globex")
    assert (await perform(storage, mia, UseTeam("globex"))).switch_to == (other.team_id, other.member_id)
    assert "Mentors can read" in await slash(storage, mia, "merge", "nonsense")  # refused before the usage
