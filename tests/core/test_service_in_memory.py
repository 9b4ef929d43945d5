"""The application service over InMemoryStorage: interviews, repeats, board commands and the outbox, in milliseconds."""

from __future__ import annotations

from tests.fakes.storage import InMemoryStorage
from tests.service_scenarios import QUICK, board_changed, event_redelivered, interviews_saved, outbox_cycle


async def test_a_quick_interview_is_saved_with_its_record() -> None:
    seen, data = await interviews_saved(InMemoryStorage())
    assert seen[len(QUICK) - 1][0].startswith("Saved ✅")
    quick, validation = data.interviews
    assert (quick.status, quick.team, quick.founder, quick.script) == ("completed", "default", "Alice", "quick")
    assert quick.record.alias == "Anna" and quick.record.segment == "Dental clinics"
    assert [(p.text, p.severity) for p in quick.record.pains] == [(QUICK[3], 4)]
    assert quick.answers["quote"] == "Last month we lost 12 bookings"
    assert validation.record.price.too_expensive is not None and validation.record.commitments
    [created] = data.hypotheses
    assert (created.code, created.status) == ("H1", "untested")
    assert [link.hypothesis for link in validation.record.evidence] == ["H1"]


async def test_a_redelivered_event_changes_nothing() -> None:
    first, again, after, data = await event_redelivered(InMemoryStorage())
    assert first and again == []
    assert after and after != first  # the interview moved on by exactly one answer
    [interview] = data.interviews
    assert interview.answers["alias"] == "Anna" and interview.answers["segment"] == "Dental clinics"


async def test_board_changes_show_in_status_and_hypotheses() -> None:
    seen = await board_changed(InMemoryStorage())
    added, status, pivot = seen[1], seen[3], seen[4]
    assert "H1" in added[0] and "testing" in status[0] and "H3" in pivot[0]
    board, hypotheses, h3 = seen[-3][0], seen[-2][0], seen[-1][0]
    assert "in total: 1 of 100" in board and "Scheduling chaos" in board
    assert "Clinics lose hours to scheduling" in hypotheses and "Owners own the calendar" in hypotheses
    assert "Owners own the calendar" in h3


async def test_the_outbox_claim_renew_release_and_mark_cycle() -> None:
    waiting, claimed, held, still_held, released, unsent = await outbox_cycle(InMemoryStorage())
    assert [chat for chat, _text in waiting] == ["default/alice", "default/alice", "default/bob"]
    assert claimed == waiting
    assert (held, still_held) == (0, 0)
    assert released == [waiting[-1]]
    assert unsent == []


async def test_a_failed_transaction_leaves_nothing_behind() -> None:
    storage = InMemoryStorage()
    try:
        async with storage.transaction() as uow:
            await uow.teams.join_team("console", "alice", "Alice", "acme")
            raise RuntimeError("crash before commit")
    except RuntimeError:
        pass
    assert await storage.team_id("acme") is None
